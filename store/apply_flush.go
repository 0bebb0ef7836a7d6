package store

import (
	"fmt"
)

// flush writes every record the batch changed, with its merge state and its
// "edited while archived" conflict. The rows are encoded and sealed on
// another goroutine while SQLite writes the ones before (see ahead).
func (m *merger) flush() error {
	var dirty []*entity
	for _, id := range m.order {
		if e := m.ents[id]; e.dirty {
			dirty = append(dirty, e)
		}
	}
	rows := computeAhead(len(dirty), func(i int) rowWrite { return m.encodeRow(dirty[i]) })
	defer rows.wait()
	for i, e := range dirty {
		row := rows.get(i)
		err := row.err
		if err == nil {
			_, err = m.exec(row.query, row.args...)
		}
		if err := m.tx.saved(e.rec, err); err != nil {
			return err
		}
		if err := m.flushState(e); err != nil {
			return err
		}
	}
	return nil
}

// flushState writes what goes with a record written by flush.
func (m *merger) flushState(e *entity) error {
	if e.person != "" && e.person != e.rec.PersonID {
		m.tx.touched[e.person] = true // the record moved to another person
	}
	if err := m.saveVersions(e); err != nil {
		return err
	}
	opened, err := m.tx.refreshArchiveConflict(e.rec, e.wasArchived)
	if opened {
		m.stats.Conflicts++
	}
	return err
}

// sqlRewrite rewrites a record whose indexed columns (kind, person,
// archived flag, natural key) stay as they are: SQLite then leaves the
// record's three indexes alone, where the upsert rewrites every entry.
const sqlRewrite = "UPDATE records SET township=?, created_at=min(created_at, ?), updated_at=?, versions=?, data=? WHERE id=?"

// rowWrite is the statement that writes a record, with its arguments.
type rowWrite struct {
	query string
	args  []any
	err   error
}

// encodeRow seals the entity's record into the statement that saves it. It
// only reads the entity.
func (m *merger) encodeRow(e *entity) rowWrite {
	r := e.rec
	if !e.exists || r.PersonID != e.person || r.Archived != e.wasArchived || r.Fields["id_number"] != e.idNumber {
		args, err := m.tx.recordArgs(r)
		return rowWrite{query: recordUpsert, args: args, err: err}
	}
	data, err := marshalStrings(r.Fields)
	if err != nil {
		return rowWrite{err: err}
	}
	versions, err := marshalStrings(r.Versions)
	if err != nil {
		return rowWrite{err: err}
	}
	return rowWrite{query: sqlRewrite, args: []any{r.Township, r.Created.UnixMilli(), r.Updated.UnixMilli(),
		string(versions), m.tx.seal.seal(data, recordAD(r.ID)), r.ID}}
}

// saveVersions writes the rows of merge_versions the batch changed.
func (m *merger) saveVersions(e *entity) error {
	for k, st := range e.orig {
		if e.cur[k] == st {
			continue
		}
		if _, err := m.exec(sqlDelVersion, e.rec.ID, k.field, k.version); err != nil {
			return fmt.Errorf("save merge state: %w", err)
		}
	}
	for k, st := range e.cur {
		if e.orig[k] == st {
			continue
		}
		if _, err := m.exec(sqlPutVersion, e.rec.ID, k.field, k.version, st); err != nil {
			return fmt.Errorf("save merge state: %w", err)
		}
	}
	return nil
}
