-- Attachment bytes each device sent, per day (days since 1970-01-01,
-- UTC), so that a stolen or hostile device cannot fill the county server's
-- disk: the server takes at most countyd serve --upload-quota a day from
-- one device (quota.go). Rows of past days are dropped as the device
-- sends on a later day.
CREATE TABLE upload_usage (
    device TEXT    NOT NULL,
    day    INTEGER NOT NULL,
    bytes  INTEGER NOT NULL,
    PRIMARY KEY (device, day)
) WITHOUT ROWID;
