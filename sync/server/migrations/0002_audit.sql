-- The audit log of every device (views, ID reveals, exports, syncs), kept
-- once per entry and pulled by the devices of its township and county.
CREATE TABLE audit (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    hlc      TEXT    NOT NULL,
    device   TEXT    NOT NULL,
    township TEXT    NOT NULL,
    entry    BLOB    NOT NULL,   -- JSON wire.AuditEntry as received
    UNIQUE (hlc, device)
);
CREATE INDEX audit_township ON audit(township, seq);
