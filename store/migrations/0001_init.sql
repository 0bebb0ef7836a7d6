-- Every domain record lives in one table: its fields are a sealed (encrypted and
-- authenticated) JSON object, so the file holds no readable personal data, and
-- field-level sync treats every kind of record the same way. Only metadata
-- needed to find records (kind, ids, links, flags) is stored in clear.
CREATE TABLE records (
    kind        TEXT    NOT NULL,
    id          TEXT    NOT NULL PRIMARY KEY,
    township    TEXT    NOT NULL,
    person_id   TEXT    NOT NULL DEFAULT '',   -- the person a record belongs to ('' for staff, settings...)
    natural_key TEXT    NOT NULL DEFAULT '',   -- keyed hash of a unique business key (ID number)
    archived    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,              -- unix ms of the first change
    updated_at  INTEGER NOT NULL,              -- unix ms of the latest change
    versions    TEXT    NOT NULL DEFAULT '{}', -- field -> version (hlc@device) of its current value
    data        BLOB    NOT NULL               -- sealed JSON object field -> value
) WITHOUT ROWID;
CREATE INDEX records_kind ON records(kind, archived);
CREATE INDEX records_person ON records(person_id, kind);
CREATE INDEX records_natural ON records(natural_key) WHERE natural_key <> '';

-- The field-change log: one row per write, naming the fields it changed, when
-- (hybrid logical clock) and on which device. Sync ships these rows.
CREATE TABLE changes (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    hlc       TEXT    NOT NULL,
    device    TEXT    NOT NULL,
    kind      TEXT    NOT NULL,
    entity_id TEXT    NOT NULL,
    township  TEXT    NOT NULL,
    person_id TEXT    NOT NULL DEFAULT '',
    user_name TEXT    NOT NULL DEFAULT '',
    local     INTEGER NOT NULL,                -- 1 when written on this device
    payload   BLOB    NOT NULL,                -- sealed JSON {"f":{field:value},"b":{field:[base versions]}}
    UNIQUE (hlc, device)
);
CREATE INDEX changes_entity ON changes(entity_id);
CREATE INDEX changes_local ON changes(local, seq);

-- Small key/value facts about this database: device id, township, clock.
CREATE TABLE meta (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- The data key wrapped by each account's password-derived key.
CREATE TABLE keyslots (
    username     TEXT    NOT NULL PRIMARY KEY,
    salt         BLOB    NOT NULL,
    kdf_time     INTEGER NOT NULL,
    kdf_memory   INTEGER NOT NULL,
    kdf_threads  INTEGER NOT NULL,
    wrapped      BLOB    NOT NULL,
    failures     INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
