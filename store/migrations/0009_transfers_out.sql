-- Persons transferred to a township this database does not serve
-- (store/transfer_away.go). While a row says purged_at = 0 the person's
-- file is still here, hidden from every view, because some local edit of it
-- may not have reached the county yet; once every local change of the file
-- is acknowledged, the file (records, change log, merge state, attachment
-- content) is erased and the row stays as a tombstone, so the officer can
-- still read "张三 was transferred to XX镇 on that date" and so that a later
-- delivery of the person's old changes is dropped rather than merged.
CREATE TABLE transfers_out (
    person_id   TEXT    NOT NULL PRIMARY KEY,
    to_township TEXT    NOT NULL,           -- 9-digit code of the new township
    moved_at    INTEGER NOT NULL,           -- unix ms of the transfer (the clock of its winning "_township" value)
    name        BLOB    NOT NULL,           -- the person's name, sealed with the data key
    purged_at   INTEGER NOT NULL DEFAULT 0  -- unix ms the file was erased here; 0 = still held, hidden
) WITHOUT ROWID;
