-- The audit log: who did what to which record, when and on which device.
-- Rows are keyed by (hlc, device) like changes, so that sync ships them to the
-- county without duplicates. The detail text is sealed with the data key and
-- bound to the row's clear columns, so an edited row fails to open; only
-- sign_in_failed rows, written before any key is known, are stored unsealed
-- and hold nothing but a reason code.
CREATE TABLE audit (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    hlc       TEXT    NOT NULL,
    device    TEXT    NOT NULL,
    township  TEXT    NOT NULL,
    user_name TEXT    NOT NULL,
    action    TEXT    NOT NULL,
    record_id TEXT    NOT NULL DEFAULT '',
    person_id TEXT    NOT NULL DEFAULT '',
    wall      INTEGER NOT NULL,            -- unix ms on the writing device's clock
    local     INTEGER NOT NULL,            -- 1 when written on this device (to be pushed)
    sealed    INTEGER NOT NULL,            -- 1 when detail is sealed with the data key
    detail    BLOB    NOT NULL,
    UNIQUE (hlc, device)
);
CREATE INDEX audit_wall ON audit(wall);
CREATE INDEX audit_person ON audit(person_id, wall) WHERE person_id <> '';
CREATE INDEX audit_local ON audit(local, seq);

-- Append-only: the app never changes or removes an entry, and neither may a
-- bug. (Someone with the file and the sqlite3 tool can drop these triggers;
-- sealing makes edited rows fail to open, and the county holds a copy.)
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;
