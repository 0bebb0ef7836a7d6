-- Volunteer devices: a laptop lent to a volunteer receives only the persons
-- assigned to that volunteer, without sensitive fields (issue 6).
ALTER TABLE enroll_codes ADD COLUMN volunteer TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN volunteer TEXT NOT NULL DEFAULT '';

-- Active volunteer assignments, kept clear (the fields table is sealed) so
-- routing can find a person's volunteers.
CREATE TABLE volunteer_assignments (
    assignment TEXT NOT NULL PRIMARY KEY,
    person_id  TEXT NOT NULL,
    volunteer  TEXT NOT NULL,
    active     INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX volunteer_assignments_person ON volunteer_assignments(person_id, active);
