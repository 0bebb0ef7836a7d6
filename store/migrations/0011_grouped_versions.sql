-- From this version on, records.versions is written grouped by version
-- ("version=field,field;…", store/versions.go) rather than as a JSON object
-- repeating each field's version. Rows already written keep their JSON and
-- are read as before, so nothing is rewritten here; the schema version is
-- raised so that an older RehabDesk, which reads only JSON, refuses the file
-- (a newer schema) instead of misreading it.
SELECT 1;
