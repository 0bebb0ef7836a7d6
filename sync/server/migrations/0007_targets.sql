-- The county's yearly targets and the police figures it enters (issue 16):
-- kind 'target' (placement_rate = 90) or 'police' (found = 120), per year.
-- They are set at the county and applied there, to the year to date.
CREATE TABLE county_targets (
    year  INTEGER NOT NULL,
    kind  TEXT NOT NULL,
    name  TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (year, kind, name)
) WITHOUT ROWID;
