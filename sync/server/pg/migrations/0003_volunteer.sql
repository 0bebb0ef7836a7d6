-- migrations/0003_volunteer.sql on PostgreSQL.
ALTER TABLE enroll_codes ADD COLUMN volunteer TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN volunteer TEXT COLLATE "C" NOT NULL DEFAULT '';

CREATE TABLE volunteer_assignments (
    assignment TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    person_id  TEXT COLLATE "C" NOT NULL,
    volunteer  TEXT COLLATE "C" NOT NULL,
    active     BIGINT NOT NULL
);
CREATE INDEX volunteer_assignments_person ON volunteer_assignments(person_id, active);
