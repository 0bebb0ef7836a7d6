-- migrations/0010_upload_quota.sql on PostgreSQL.
CREATE TABLE upload_usage (
    device TEXT COLLATE "C" NOT NULL,
    day    BIGINT NOT NULL,
    bytes  BIGINT NOT NULL,
    PRIMARY KEY (device, day)
);
