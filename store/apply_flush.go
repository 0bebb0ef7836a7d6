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
		if err := m.tx.SaveRecord(e.rec); err != nil {
			return err
		}
		if err := m.saveCreated(e); err != nil {
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
		if _, err := m.tx.tx.ExecContext(m.tx.ctx, "DELETE FROM merge_versions WHERE entity_id = ? AND field = ? AND version = ?",
			e.rec.ID, k.field, k.version); err != nil {
			return fmt.Errorf("save merge state: %w", err)
		}
	}
	for k, st := range e.cur {
		if e.orig[k] == st {
			continue
		}
		if _, err := m.tx.tx.ExecContext(m.tx.ctx, "INSERT INTO merge_versions(entity_id, field, version, state) VALUES(?,?,?,?)",
			e.rec.ID, k.field, k.version, st); err != nil {
			return fmt.Errorf("save merge state: %w", err)
		}
	}
	return nil
}

// saveCreated writes an earlier creation time learnt from a change that
// arrived late (SaveRecord keeps created_at of an existing row).
func (m *merger) saveCreated(e *entity) error {
	if !e.exists || e.rec.Created.UnixMilli() >= e.created {
		return nil
	}
	_, err := m.tx.tx.ExecContext(m.tx.ctx, "UPDATE records SET created_at = ? WHERE id = ?", e.rec.Created.UnixMilli(), e.rec.ID)
	return err
}
