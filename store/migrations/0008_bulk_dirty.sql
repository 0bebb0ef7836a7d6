-- Bulk writes (a ledger import of a whole township, store/import_write.go)
-- mark their persons dirty for the sign-in snapshot themselves, one
-- multi-row statement per flush, instead of once per record through the
-- triggers of 0006, whose per-row work was a seventh of an import. While
-- index_dirty_pause has its row the insert and update triggers stand
-- aside; the row is only ever inserted and deleted around such a flush in
-- the same transaction, so no other connection sees it and every other
-- write is tracked by the triggers as before.
CREATE TABLE index_dirty_pause (
    id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1)
);

DROP TRIGGER index_dirty_insert;
CREATE TRIGGER index_dirty_insert AFTER INSERT ON records
WHEN NEW.kind IN ('person', 'measure') AND NOT EXISTS (SELECT 1 FROM index_dirty_pause)
BEGIN
    INSERT INTO index_dirty(person_id)
    SELECT p FROM (SELECT CASE WHEN NEW.kind = 'person' THEN NEW.id ELSE NEW.person_id END AS p)
    WHERE p <> '' AND NOT EXISTS (SELECT 1 FROM index_dirty WHERE person_id = p);
END;

DROP TRIGGER index_dirty_update;
CREATE TRIGGER index_dirty_update AFTER UPDATE ON records
WHEN (NEW.kind IN ('person', 'measure') OR OLD.kind IN ('person', 'measure'))
    AND NOT EXISTS (SELECT 1 FROM index_dirty_pause)
BEGIN
    INSERT INTO index_dirty(person_id)
    SELECT p FROM (SELECT CASE WHEN NEW.kind = 'person' THEN NEW.id ELSE NEW.person_id END AS p
                   UNION SELECT CASE WHEN OLD.kind = 'person' THEN OLD.id ELSE OLD.person_id END)
    WHERE p <> '' AND NOT EXISTS (SELECT 1 FROM index_dirty WHERE person_id = p);
END;
