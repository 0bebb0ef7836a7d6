-- migrations/0008_device_version.sql on PostgreSQL.
ALTER TABLE devices ADD COLUMN app_version TEXT COLLATE "C" NOT NULL DEFAULT '';
