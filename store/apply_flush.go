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
		args, err := m.tx.recordArgs(e.rec)
		if err != nil {
			return err
		}
		_, err = m.exec(recordUpsert, args...)
		if err := m.tx.saved(e.rec, err); err != nil {
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
