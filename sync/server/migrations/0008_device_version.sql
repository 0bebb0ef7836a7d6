-- The release each device last synced with (its X-RehabDesk-Version
-- header), so that `countyd devices` shows which laptops are out of date.
ALTER TABLE devices ADD COLUMN app_version TEXT NOT NULL DEFAULT '';
