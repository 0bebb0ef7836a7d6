package store

import (
	"fmt"
	"strings"
)

// versionRowsPerStatement is how many merge_versions rows one statement of
// writeVersions deletes or inserts: a statement per row cost more in
// database/sql and the driver than in SQLite.
const versionRowsPerStatement = 100

// noteVersions queues the rows of merge_versions the batch changed for the
// entity, for writeVersions.
func (m *merger) noteVersions(e *entity) {
	id := m.boxes.arg(e.rec.ID)
	for k, st := range e.orig {
		if e.cur[k] != st {
			m.versionDels = append(m.versionDels, id, k.field, k.version)
		}
	}
	for k, st := range e.cur {
		if e.orig[k] != st {
			m.versionPuts = append(m.versionPuts, id, k.field, k.version, st)
		}
	}
}

// writeVersions writes the queued merge_versions rows: deletions first, as
// a version whose state changed is deleted and inserted again.
func (m *merger) writeVersions() error {
	dels, puts := m.versionDels, m.versionPuts
	m.versionDels, m.versionPuts = nil, nil
	if err := m.tx.execRows(deleteVersionRows, versionRowsPerStatement, 3, dels); err != nil {
		return fmt.Errorf("save merge state: %w", err)
	}
	if err := m.tx.execRows(insertVersionRows, versionRowsPerStatement, 4, puts); err != nil {
		return fmt.Errorf("save merge state: %w", err)
	}
	return nil
}

// deleteVersionRows deletes n rows of merge_versions, each found by its
// primary key.
func deleteVersionRows(n int) string {
	return "DELETE FROM merge_versions WHERE (entity_id, field, version) IN (VALUES(?,?,?)" +
		strings.Repeat(",(?,?,?)", n-1) + ")"
}

// insertVersionRows inserts n rows of merge_versions.
func insertVersionRows(n int) string {
	return "INSERT INTO merge_versions(entity_id, field, version, state) VALUES(?,?,?,?)" +
		strings.Repeat(",(?,?,?,?)", n-1)
}
