-- When a person left a township, as the server saw it (left_at, unix ms of
-- the transfer's arrival; left_seq, the transfer's position in that
-- township's feed), and how far each device has been sent its feed
-- (pulled_through): the township's devices may send late edits of the
-- person only while they cannot know of the transfer (authz.go,
-- lateEditInTime). Persons who left before this migration count as having
-- left now, a transfer every device has been sent.
ALTER TABLE person_townships ADD COLUMN left_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE person_townships ADD COLUMN left_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN pulled_through INTEGER NOT NULL DEFAULT 0;
UPDATE person_townships SET left_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000
    WHERE township <> (SELECT e.township FROM entities e WHERE e.id = person_townships.person_id);
