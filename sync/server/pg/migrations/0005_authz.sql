-- migrations/0005_authz.sql on PostgreSQL.
ALTER TABLE enroll_codes ADD COLUMN device TEXT COLLATE "C" NOT NULL DEFAULT '';

ALTER TABLE blob_refs ADD COLUMN backed BIGINT NOT NULL DEFAULT 0;
UPDATE blob_refs SET backed = 1 WHERE hash IN (SELECT hash FROM blobs);

CREATE TABLE blob_proofs (
    hash   TEXT COLLATE "C" NOT NULL,
    device TEXT COLLATE "C" NOT NULL,
    next   BIGINT NOT NULL,
    state  BYTEA NOT NULL,
    PRIMARY KEY (hash, device)
);
