-- Attachment content, sealed, by SHA-256; chunks of uploads in progress;
-- and which attachment records name which content, to decide who may
-- fetch it (a device may fetch what a record of its scope names).
CREATE TABLE blobs (
    hash TEXT    NOT NULL PRIMARY KEY,
    size INTEGER NOT NULL,
    data BLOB    NOT NULL
) WITHOUT ROWID;
CREATE TABLE blob_parts (
    hash   TEXT    NOT NULL,
    offset INTEGER NOT NULL,
    size   INTEGER NOT NULL,              -- bytes of the chunk before sealing
    data   BLOB    NOT NULL,
    PRIMARY KEY (hash, offset)
) WITHOUT ROWID;
CREATE TABLE blob_refs (
    hash      TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    PRIMARY KEY (hash, entity_id)
) WITHOUT ROWID;
