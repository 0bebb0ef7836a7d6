-- Attachment content, sealed with the data key like every personal value.
-- A blob arrives in chunks (resumable over a weak link); each chunk is sealed
-- on arrival so that a half-received scan of an agreement is never on disk
-- in clear. plain_size keeps progress countable without opening chunks.
CREATE TABLE IF NOT EXISTS blob_data (
    hash TEXT    NOT NULL PRIMARY KEY,
    size INTEGER NOT NULL,
    data BLOB    NOT NULL
) WITHOUT ROWID;
DROP TABLE IF EXISTS blob_chunks;
CREATE TABLE blob_parts (
    hash       TEXT    NOT NULL,
    offset     INTEGER NOT NULL,
    plain_size INTEGER NOT NULL,
    data       BLOB    NOT NULL,
    PRIMARY KEY (hash, offset)
) WITHOUT ROWID;
