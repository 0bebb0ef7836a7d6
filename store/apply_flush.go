package store

import (
	"fmt"
)

// flush writes every record the batch changed, with its merge state and its
// "edited while archived" conflict.
func (m *merger) flush() error {
	for _, id := range m.order {
		e := m.ents[id]
		if !e.dirty {
			continue
		}
		if err := m.tx.saved(e.rec, m.saveRecord(e)); err != nil {
			return err
		}
		if e.person != "" && e.person != e.rec.PersonID {
			m.tx.touched[e.person] = true // the record moved to another person
		}
		if err := m.saveVersions(e); err != nil {
			return err
		}
		opened, err := m.tx.refreshArchiveConflict(e.rec, e.wasArchived)
		if err != nil {
			return err
		}
		if opened {
			m.stats.Conflicts++
		}
	}
	return nil
}

// sqlRewrite rewrites a record whose indexed columns (kind, person,
// archived flag, natural key) stay as they are: SQLite then leaves the
// record's three indexes alone, where the upsert rewrites every entry.
const sqlRewrite = "UPDATE records SET township=?, created_at=min(created_at, ?), updated_at=?, versions=?, data=? WHERE id=?"

// saveRecord writes the entity's record row.
func (m *merger) saveRecord(e *entity) error {
	r := e.rec
	if !e.exists || r.PersonID != e.person || r.Archived != e.wasArchived || r.Fields["id_number"] != e.idNumber {
		args, err := m.tx.recordArgs(r)
		if err != nil {
			return err
		}
		_, err = m.exec(recordUpsert, args...)
		return err
	}
	data, err := marshalStrings(r.Fields)
	if err != nil {
		return err
	}
	versions, err := marshalStrings(r.Versions)
	if err != nil {
		return err
	}
	_, err = m.exec(sqlRewrite, r.Township, r.Created.UnixMilli(), r.Updated.UnixMilli(), string(versions),
		m.tx.seal.seal(data, recordAD(r.ID)), r.ID)
	return err
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
