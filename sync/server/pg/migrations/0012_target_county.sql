-- migrations/0012_target_county.sql on PostgreSQL.
ALTER TABLE county_targets ADD COLUMN county TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE county_targets SET county = coalesce((SELECT min(county) FROM townships HAVING count(DISTINCT county) = 1), '');
ALTER TABLE county_targets ALTER COLUMN county DROP DEFAULT;
ALTER TABLE county_targets DROP CONSTRAINT county_targets_pkey;
ALTER TABLE county_targets ADD PRIMARY KEY (county, year, kind, name);
