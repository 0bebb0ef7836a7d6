-- migrations/0009_county_accounts.sql on PostgreSQL: the county
-- workbench's accounts, sessions and audit log.
CREATE TABLE county_accounts (
    username     TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    role         TEXT COLLATE "C" NOT NULL,
    pass_hash    BYTEA  NOT NULL,
    salt         BYTEA  NOT NULL,
    kdf_time     BIGINT NOT NULL,
    kdf_memory   BIGINT NOT NULL,
    kdf_threads  BIGINT NOT NULL,
    failures     BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT NOT NULL DEFAULT 0,
    disabled_at  BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL,
    changed_at   BIGINT NOT NULL
);

CREATE TABLE county_sessions (
    id_hash    TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    username   TEXT COLLATE "C" NOT NULL REFERENCES county_accounts(username),
    csrf       TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen  BIGINT NOT NULL
);
CREATE INDEX county_sessions_user ON county_sessions(username);

-- id sorts as entries were written (time, counter, random bits): "C"
-- keeps ORDER BY id byte-wise, as in SQLite.
CREATE TABLE county_web_audit (
    id       TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    at       BIGINT NOT NULL,
    username TEXT COLLATE "C" NOT NULL,
    remote   TEXT COLLATE "C" NOT NULL,
    action   TEXT COLLATE "C" NOT NULL,
    detail   TEXT COLLATE "C" NOT NULL
);
CREATE INDEX county_web_audit_at ON county_web_audit(at);
