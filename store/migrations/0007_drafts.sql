-- Unsaved form contents, so a crash or power cut loses at most the field
-- being typed. Local to this device and to one user; never synced. Sealed
-- with the data key like every personal value.
CREATE TABLE drafts (
    key       TEXT    NOT NULL PRIMARY KEY, -- user name, then the form's own key
    saved_at  INTEGER NOT NULL,             -- unix ms
    data      BLOB    NOT NULL              -- sealed JSON object field -> value
) WITHOUT ROWID;
