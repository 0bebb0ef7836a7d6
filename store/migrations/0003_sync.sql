-- Device-side sync state (sync/client): which county server this database is
-- enrolled with, the pinned certificate, the device token (sealed with the
-- data key), and the push and pull cursors. Kept as key/value facts so that
-- new settings need no migration.
CREATE TABLE sync_state (
    key   TEXT NOT NULL PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;

-- Attachment blobs still to upload or download, by content hash, with the
-- number of bytes already moved so that a transfer resumes where it stopped.
CREATE TABLE sync_blobs (
    hash      TEXT    NOT NULL PRIMARY KEY,   -- hex SHA-256 of the content
    direction TEXT    NOT NULL,               -- 'up' or 'down'
    size      INTEGER NOT NULL DEFAULT 0,
    done      INTEGER NOT NULL DEFAULT 0      -- bytes transferred so far
) WITHOUT ROWID;
