-- Issue 19: the county office's workbench in the browser.
--
-- County accounts are the county office's own (县禁毒办 staff, and the
-- administrators who also issue enrolment codes, revoke devices, manage
-- accounts and set the year's targets). They live here and nowhere else:
-- a township officer's password, kept on the officer's laptop, opens
-- nothing on the server. Plain portable SQL (TEXT, INTEGER, BLOB), times in
-- Unix milliseconds, so another backend can take it as it is.
CREATE TABLE county_accounts (
    username     TEXT    NOT NULL PRIMARY KEY,  -- lower case, trimmed
    role         TEXT    NOT NULL,              -- 'staff' or 'admin'
    pass_hash    BLOB    NOT NULL,              -- argon2id of the password
    salt         BLOB    NOT NULL,
    kdf_time     INTEGER NOT NULL,
    kdf_memory   INTEGER NOT NULL,              -- KiB
    kdf_threads  INTEGER NOT NULL,
    failures     INTEGER NOT NULL DEFAULT 0,    -- wrong passwords in a row
    locked_until INTEGER NOT NULL DEFAULT 0,    -- no try before this time
    disabled_at  INTEGER NOT NULL DEFAULT 0,    -- 0: active
    created_at   INTEGER NOT NULL,
    changed_at   INTEGER NOT NULL               -- password last set
);

-- Signed-in browsers. Only the SHA-256 of the cookie's session id is kept,
-- so a copy of the database opens no session.
CREATE TABLE county_sessions (
    id_hash    TEXT    NOT NULL PRIMARY KEY,
    username   TEXT    NOT NULL REFERENCES county_accounts(username),
    csrf       TEXT    NOT NULL,                 -- the token every form of the session carries
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL
);
CREATE INDEX county_sessions_user ON county_sessions(username);

-- What county accounts did and looked at in the workbench: every page of
-- personal data viewed, every sign-in (failed ones too) and every change.
CREATE TABLE county_web_audit (
    id       TEXT    NOT NULL PRIMARY KEY,       -- random, so no sequence is needed
    at       INTEGER NOT NULL,
    username TEXT    NOT NULL,
    remote   TEXT    NOT NULL,
    action   TEXT    NOT NULL,
    detail   TEXT    NOT NULL
);
CREATE INDEX county_web_audit_at ON county_web_audit(at);
