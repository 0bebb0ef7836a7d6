package store

import (
	"context"
	"database/sql"
	"errors"

	"rehabdesk/store/search"
)

// indexPlan says which search entries a merge changed. A person's entry is
// built from the person record and their current measure, so records of
// other kinds (visits, tests...) change no entry.
type indexPlan struct {
	persons map[string]*Record // merged person records: entry rebuilt in memory
	fresh   map[string]bool    // new persons without measures: no measure part
	reread  map[string]bool    // persons whose measures changed: read again
}

// indexPlan is computed inside the batch's transaction, after flush.
func (m *merger) indexPlan() (indexPlan, error) {
	p := indexPlan{persons: map[string]*Record{}, fresh: map[string]bool{}, reread: map[string]bool{}}
	for _, id := range m.order {
		e := m.ents[id]
		switch {
		case !e.dirty:
		case e.rec.Kind == KindPerson:
			p.persons[id] = e.rec
		case e.rec.Kind == KindMeasure:
			p.reread[e.rec.PersonID] = true
			if e.person != "" {
				p.reread[e.person] = true
			}
		}
	}
	for id := range p.persons {
		if m.ents[id].exists || p.reread[id] {
			continue
		}
		has, err := m.hasMeasures(id)
		if err != nil {
			return p, err
		}
		p.fresh[id] = !has
	}
	return p, nil
}

// hasMeasures reports whether measures of a person are in the database
// (they may arrive before the person).
func (m *merger) hasMeasures(person string) (bool, error) {
	st, err := m.stmt("SELECT 1 FROM records WHERE person_id = ? AND kind = 'measure' LIMIT 1")
	if err != nil {
		return false, err
	}
	var one int
	err = st.QueryRowContext(m.tx.ctx, person).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// refreshMerged updates the search index after a merge committed, reading
// from the database only the persons whose measures changed (or whose
// entry is missing): a pull of thousands of persons must not read each back.
func (s *Store) refreshMerged(ctx context.Context, p indexPlan) {
	s.mu.RLock()
	idx := s.index
	s.mu.RUnlock()
	if idx == nil {
		return
	}
	entries := make([]search.Entry, 0, len(p.persons))
	for id, r := range p.persons {
		if p.reread[id] {
			continue
		}
		if r.Archived {
			idx.Remove(id)
			continue
		}
		e := entryOf(r, nil)
		if old, ok := idx.Get(id); ok {
			e.Status, e.MeasureType, e.EndDate = old.Status, old.MeasureType, old.EndDate
		} else if !p.fresh[id] {
			p.reread[id] = true
			continue
		}
		entries = append(entries, e)
	}
	// PutAll re-sorts the whole index: worth it for a large share of it
	// (an initial pull), not for a page of edits.
	if len(entries)*4 >= idx.Len() {
		idx.PutAll(entries)
	} else {
		for _, e := range entries {
			idx.Put(e)
		}
	}
	s.refreshIndex(ctx, p.reread)
}
