-- Wrong sign-ins to the county workbench per remote address ('addr:' and
-- the address) and per name no account has ('name:' and the name), with
-- the wait they imposed; an account's own count is county_accounts.failures.
-- They were counted in each countyd's memory: with several countyd on one
-- database an attacker alternating between them halved the waits, and a
-- restart cleared them. Rows untried for a day are dropped.
CREATE TABLE signin_waits (
    subject  TEXT    NOT NULL PRIMARY KEY,
    failures INTEGER NOT NULL,
    until_at INTEGER NOT NULL,   -- Unix ms; no try before
    last_at  INTEGER NOT NULL    -- Unix ms of the last try
) WITHOUT ROWID;
