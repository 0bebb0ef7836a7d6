-- Sign-in snapshot of the search index (store/snapshot.go). Names and ID
-- numbers are encrypted, so the index of a township is built in memory; to
-- spare decrypting every person and measure at each sign-in, the compact
-- search entries of all live persons are kept as ONE blob sealed with the
-- data key (bound to the township and the generation), and index_dirty lists
-- the persons whose entry may have changed since it was written. Triggers
-- keep index_dirty in step with every write of a person or measure row,
-- whatever code (local edit, merge, import) made it, so the snapshot plus
-- the dirty persons re-read from records is always the current index.
CREATE TABLE index_snapshot (
    id   INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    gen  INTEGER NOT NULL,   -- bumped at every rewrite; part of the sealing's associated data
    data BLOB    NOT NULL    -- sealed entries, see snapshot.go
);

CREATE TABLE index_dirty (
    person_id TEXT NOT NULL PRIMARY KEY
) WITHOUT ROWID;

-- (NOT EXISTS rather than OR IGNORE: an outer upsert's conflict handling
-- would override the trigger's.)
CREATE TRIGGER index_dirty_insert AFTER INSERT ON records
WHEN NEW.kind IN ('person', 'measure')
BEGIN
    INSERT INTO index_dirty(person_id)
    SELECT p FROM (SELECT CASE WHEN NEW.kind = 'person' THEN NEW.id ELSE NEW.person_id END AS p)
    WHERE p <> '' AND NOT EXISTS (SELECT 1 FROM index_dirty WHERE person_id = p);
END;

CREATE TRIGGER index_dirty_update AFTER UPDATE ON records
WHEN NEW.kind IN ('person', 'measure') OR OLD.kind IN ('person', 'measure')
BEGIN
    INSERT INTO index_dirty(person_id)
    SELECT p FROM (SELECT CASE WHEN NEW.kind = 'person' THEN NEW.id ELSE NEW.person_id END AS p
                   UNION SELECT CASE WHEN OLD.kind = 'person' THEN OLD.id ELSE OLD.person_id END)
    WHERE p <> '' AND NOT EXISTS (SELECT 1 FROM index_dirty WHERE person_id = p);
END;

CREATE TRIGGER index_dirty_delete AFTER DELETE ON records
WHEN OLD.kind IN ('person', 'measure')
BEGIN
    INSERT INTO index_dirty(person_id)
    SELECT p FROM (SELECT CASE WHEN OLD.kind = 'person' THEN OLD.id ELSE OLD.person_id END AS p)
    WHERE p <> '' AND NOT EXISTS (SELECT 1 FROM index_dirty WHERE person_id = p);
END;
