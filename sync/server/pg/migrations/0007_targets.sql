-- migrations/0007_targets.sql on PostgreSQL.
CREATE TABLE county_targets (
    year  BIGINT NOT NULL,
    kind  TEXT COLLATE "C" NOT NULL,
    name  TEXT COLLATE "C" NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (year, kind, name)
);
