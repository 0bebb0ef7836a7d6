-- Issue 12: the server decides scope from its own records.
--
-- A code issued to let one enrolled device back in (a reinstalled laptop
-- restored from its backup, a revoked one the office readmits) names that
-- device; any other code can only enroll a device id the server does not
-- know yet.
ALTER TABLE enroll_codes ADD COLUMN device TEXT NOT NULL DEFAULT '';

-- An attachment record is "backed" once a device whose scope holds it has
-- sent the content (or proved it holds content the server already has):
-- only then may the devices of that scope fetch the content. Naming a hash
-- in a record proves nothing. Content already stored counts as backed for
-- the records that name it now.
ALTER TABLE blob_refs ADD COLUMN backed INTEGER NOT NULL DEFAULT 0;
UPDATE blob_refs SET backed = 1 WHERE hash IN (SELECT hash FROM blobs);

-- Proofs in progress: a device re-sending content the server already holds
-- (under another township's records) streams it through SHA-256; the state
-- of the hash so far is kept between chunks.
CREATE TABLE blob_proofs (
    hash   TEXT    NOT NULL,
    device TEXT    NOT NULL,
    next   INTEGER NOT NULL,
    state  BLOB    NOT NULL,
    PRIMARY KEY (hash, device)
) WITHOUT ROWID;
