-- migrations/0004_blobs.sql on PostgreSQL ("offset" is a reserved word).
CREATE TABLE blobs (
    hash TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    size BIGINT NOT NULL,
    data BYTEA NOT NULL
);
CREATE TABLE blob_parts (
    hash     TEXT COLLATE "C" NOT NULL,
    "offset" BIGINT NOT NULL,
    size     BIGINT NOT NULL,
    data     BYTEA NOT NULL,
    PRIMARY KEY (hash, "offset")
);
CREATE TABLE blob_refs (
    hash      TEXT COLLATE "C" NOT NULL,
    entity_id TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (hash, entity_id)
);
