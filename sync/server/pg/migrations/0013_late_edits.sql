-- migrations/0013_late_edits.sql on PostgreSQL.
ALTER TABLE person_townships ADD COLUMN left_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE person_townships ADD COLUMN left_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN pulled_through BIGINT NOT NULL DEFAULT 0;
UPDATE person_townships SET left_at = (extract(epoch FROM now()) * 1000)::bigint
    WHERE township <> (SELECT e.township FROM entities e WHERE e.id = person_townships.person_id);
