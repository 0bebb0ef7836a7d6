-- The server's identity and epoch (see generation.go): made once, the
-- epoch renewed when the database turns out to be a restored copy.
CREATE TABLE server_meta (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
