-- migrations/0006_generation.sql on PostgreSQL.
CREATE TABLE server_meta (
    key   TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    value TEXT COLLATE "C" NOT NULL
);
