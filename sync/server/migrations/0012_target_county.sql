-- The yearly targets and police figures are a county's: a server serving
-- townships of several counties keeps each county's own, and sends each
-- township those of its county. Figures stored before have the county the
-- server served then, or '' when it served several (or none yet): those
-- count as the county's only while the server serves one county.
CREATE TABLE county_targets_new (
    county TEXT    NOT NULL,
    year   INTEGER NOT NULL,
    kind   TEXT    NOT NULL,
    name   TEXT    NOT NULL,
    value  INTEGER NOT NULL,
    PRIMARY KEY (county, year, kind, name)
) WITHOUT ROWID;
INSERT INTO county_targets_new (county, year, kind, name, value)
    SELECT coalesce((SELECT min(county) FROM townships HAVING count(DISTINCT county) = 1), ''), year, kind, name, value
    FROM county_targets;
DROP TABLE county_targets;
ALTER TABLE county_targets_new RENAME TO county_targets;
