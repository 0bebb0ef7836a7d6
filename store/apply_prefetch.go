package store

import (
	"fmt"
	"strings"
)

// prefetchChunk bounds the ids of one IN (...) query, well under SQLite's
// limit on bound parameters.
const prefetchChunk = 500

// prefetch loads, in a few queries, the records a batch is about and their
// merge state: one query per record would cost more than the merge itself.
func (m *merger) prefetch(changes []*Change) error {
	var ids []string
	seen := map[string]bool{}
	for _, ch := range changes {
		if ch != nil && !seen[ch.EntityID] && m.ents[ch.EntityID] == nil && validUUID(ch.EntityID) {
			seen[ch.EntityID] = true
			ids = append(ids, ch.EntityID)
		}
	}
	for lo := 0; lo < len(ids); lo += prefetchChunk {
		chunk := ids[lo:min(lo+prefetchChunk, len(ids))]
		if err := m.prefetchRecords(chunk); err != nil {
			return err
		}
		if err := m.prefetchVersions(chunk); err != nil {
			return err
		}
	}
	return nil
}

// inList returns "(?,?,...)" and the ids as arguments.
func inList(ids []string) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return "(?" + strings.Repeat(",?", len(ids)-1) + ")", args
}

// prefetchRecords caches the existing records among ids.
func (m *merger) prefetchRecords(ids []string) error {
	in, args := inList(ids)
	rows, err := m.tx.tx.QueryContext(m.tx.ctx, "SELECT "+recordColumns+" FROM records WHERE id IN "+in, args...)
	if err != nil {
		return fmt.Errorf("read records: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := m.tx.s.scanRecord(m.tx.seal, rows)
		if err != nil {
			return err
		}
		m.adopt(r)
	}
	return rows.Err()
}

// adopt starts merging an existing record.
func (m *merger) adopt(r *Record) *entity {
	e := &entity{rec: r, exists: true, wasArchived: r.Archived, person: r.PersonID,
		orig: map[versionKey]string{}, cur: map[versionKey]string{}}
	m.ents[r.ID] = e
	m.order = append(m.order, r.ID)
	return e
}

// prefetchVersions loads the merge state of the cached records among ids.
func (m *merger) prefetchVersions(ids []string) error {
	in, args := inList(ids)
	rows, err := m.tx.tx.QueryContext(m.tx.ctx, "SELECT entity_id, field, version, state FROM merge_versions WHERE entity_id IN "+in, args...)
	if err != nil {
		return fmt.Errorf("read merge state: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, st string
		var k versionKey
		if err := rows.Scan(&id, &k.field, &k.version, &st); err != nil {
			return err
		}
		if e := m.ents[id]; e != nil {
			e.orig[k], e.cur[k] = st, st
		}
	}
	return rows.Err()
}
