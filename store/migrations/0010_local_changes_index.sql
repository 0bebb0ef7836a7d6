-- The push queue (LocalChanges, CountLocalChanges, the transfer purge's
-- unsent checks) reads only the changes made on this device, local = 1.
-- Indexing every row by (local, seq) put each merged remote change, most of
-- a device's log, into a b-tree no query reads it through; a partial index
-- holds only the device's own changes, so a merge writes three b-trees per
-- change instead of four.
DROP INDEX changes_local;
CREATE INDEX changes_local ON changes(seq) WHERE local = 1;
