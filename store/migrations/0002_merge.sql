-- Merge state (store/apply*.go, store/conflict*.go). The change log is the
-- truth; these tables index it so that merging a change touches only the
-- rows of the record it changes, whatever order changes arrive in.

-- Versions of one field of one record, other than its current version, that
-- matter to the merge:
--   'loser': written by a change in the log that no change in the log names
--            as a base (nobody saw it) and that lost to the current version:
--            an open conflict, shown to the officer until an edit supersedes it;
--   'ghost': named as a base by a change in the log before the change that
--            wrote it arrived (reordered delivery): it is superseded already,
--            so when it arrives it is neither current nor a conflict.
CREATE TABLE merge_versions (
    entity_id TEXT NOT NULL,
    field     TEXT NOT NULL,
    version   TEXT NOT NULL,   -- hlc@device
    state     TEXT NOT NULL,   -- 'loser' or 'ghost'
    PRIMARY KEY (entity_id, field, version)
) WITHOUT ROWID;
CREATE INDEX merge_versions_state ON merge_versions(state, entity_id);

-- Archived records with edits their archiving did not see ("edited while
-- archived"): the archive change's version, the newest unseen edit and the
-- fields edited unseen (comma-separated).
CREATE TABLE merge_archive (
    entity_id       TEXT NOT NULL PRIMARY KEY,
    archive_version TEXT NOT NULL,
    edit_version    TEXT NOT NULL,
    fields          TEXT NOT NULL
) WITHOUT ROWID;
