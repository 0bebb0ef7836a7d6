-- migrations/0011_signin_waits.sql on PostgreSQL.
CREATE TABLE signin_waits (
    subject  TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    failures BIGINT NOT NULL,
    until_at BIGINT NOT NULL,
    last_at  BIGINT NOT NULL
);
