-- County server schema. The server keeps every change it ever accepted, as
-- received, plus per township a feed (the order in which that township's
-- devices pull them) and the merged state of every record, so that the
-- county office holds the same data as its townships, field for field.

CREATE TABLE townships (
    code     TEXT    NOT NULL PRIMARY KEY,   -- 9-digit division code
    county   TEXT    NOT NULL,               -- its 6-digit county
    added_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Enrolled devices. Only a SHA-256 of the token is kept: a copy of this
-- file does not let anyone sign in as a device.
CREATE TABLE devices (
    id          TEXT    NOT NULL PRIMARY KEY, -- the device database's device id
    township    TEXT    NOT NULL,
    county      TEXT    NOT NULL DEFAULT '',  -- county code for county-office devices
    label       TEXT    NOT NULL DEFAULT '',
    token_hash  TEXT    NOT NULL UNIQUE,
    enrolled_at INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL DEFAULT 0,
    last_sync   INTEGER NOT NULL DEFAULT 0,
    revoked_at  INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- One-time enrollment codes, hashed, with an expiry.
CREATE TABLE enroll_codes (
    code_hash  TEXT    NOT NULL PRIMARY KEY,
    township   TEXT    NOT NULL,
    county     TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER NOT NULL DEFAULT 0,
    used_by    TEXT    NOT NULL DEFAULT ''
) WITHOUT ROWID;

-- Every accepted change, once: (hlc, device) identifies it, so a push
-- repeated after a lost reply stores nothing twice.
CREATE TABLE changes (
    id          INTEGER PRIMARY KEY,
    hlc         TEXT    NOT NULL,
    device      TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    entity_id   TEXT    NOT NULL,
    person_id   TEXT    NOT NULL DEFAULT '',
    township    TEXT    NOT NULL,              -- as the device stamped it
    user_name   TEXT    NOT NULL DEFAULT '',
    payload     BLOB    NOT NULL,              -- JSON {"f":{field:value},"b":{field:[bases]}}
    received_at INTEGER NOT NULL,
    UNIQUE (hlc, device)
);
CREATE INDEX changes_person ON changes(person_id);
CREATE INDEX changes_entity ON changes(entity_id);

-- What each township's devices pull, in order. A change can be in several
-- feeds: a person's whole history is added to the feed of the township they
-- are transferred to.
CREATE TABLE feed (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    township  TEXT    NOT NULL,
    change_id INTEGER NOT NULL REFERENCES changes(id),
    UNIQUE (township, change_id)
);
CREATE INDEX feed_township ON feed(township, seq);

-- Merged state: each record's current township and each field's winning
-- value (highest version; versions are fixed-width so text order is
-- version order).
CREATE TABLE entities (
    id        TEXT NOT NULL PRIMARY KEY,
    kind      TEXT NOT NULL,
    person_id TEXT NOT NULL DEFAULT '',
    township  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX entities_person ON entities(person_id);

CREATE TABLE fields (
    entity_id TEXT NOT NULL,
    field     TEXT NOT NULL,
    value     TEXT NOT NULL,
    version   TEXT NOT NULL,
    PRIMARY KEY (entity_id, field)
) WITHOUT ROWID;

-- Every township a person has belonged to: their devices may still push
-- edits made before they learnt of a transfer, and those are kept.
CREATE TABLE person_townships (
    person_id TEXT NOT NULL,
    township  TEXT NOT NULL,
    PRIMARY KEY (person_id, township)
) WITHOUT ROWID;
