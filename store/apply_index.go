package store

import (
	"context"
	"database/sql"
	"errors"

	"rehabdesk/store/search"
)

// indexPlan says which search entries a merge changed. A person's entry is
// built from the person record and their current measure, so records of
// other kinds (visits, tests...) change no entry. Most entries are rebuilt
// from the merged records in memory: a pull of thousands of persons must not
// read each one back.
type indexPlan struct {
	persons  map[string]*Record // merged person records
	measures map[string]*Record // person -> current measure, when all their live measures were merged here
	known    map[string]bool    // measures[person] is complete (nil: no measure)
	reread   map[string]bool    // persons to read again from the database
}

// indexPlan is computed inside the batch's transaction, after flush.
func (m *merger) indexPlan() (indexPlan, error) {
	p := indexPlan{persons: map[string]*Record{}, measures: map[string]*Record{}, known: map[string]bool{}, reread: map[string]bool{}}
	batchMeasures := map[string][]*Record{}
	for _, id := range m.order {
		e := m.ents[id]
		switch {
		case !e.dirty:
		case e.rec.Kind == KindPerson:
			p.persons[id] = e.rec
		case e.rec.Kind == KindMeasure:
			batchMeasures[e.rec.PersonID] = append(batchMeasures[e.rec.PersonID], e.rec)
			if e.person != "" && e.person != e.rec.PersonID {
				p.reread[e.person] = true // a measure moved away
			}
		}
	}
	for person, ms := range batchMeasures {
		if err := m.planMeasures(&p, person, ms); err != nil {
			return p, err
		}
	}
	for id := range p.persons {
		if m.ents[id].exists || p.known[id] || p.reread[id] {
			continue
		}
		n, err := m.liveMeasures(id) // measures may arrive before their person
		if err != nil {
			return p, err
		}
		p.known[id] = n == 0
	}
	return p, nil
}

// planMeasures decides how a person's entry learns of measures merged in
// this batch: from memory when the batch holds all their live measures,
// else by reading them again.
func (m *merger) planMeasures(p *indexPlan, person string, ms []*Record) error {
	live := make([]*Record, 0, len(ms))
	for _, r := range ms {
		if !r.Archived {
			live = append(live, r)
		}
	}
	n, err := m.liveMeasures(person)
	if err != nil {
		return err
	}
	if n == len(live) && p.persons[person] != nil {
		p.measures[person], p.known[person] = CurrentMeasure(live), true
	} else {
		p.reread[person] = true
	}
	return nil
}

// liveMeasures counts a person's live measures in the database.
func (m *merger) liveMeasures(person string) (int, error) {
	st, err := m.stmt("SELECT count(*) FROM records WHERE person_id = ? AND kind = 'measure' AND archived = 0")
	if err != nil {
		return 0, err
	}
	var n int
	err = st.QueryRowContext(m.tx.ctx, person).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, err
}

// refreshMerged updates the search index after a merge committed.
func (s *Store) refreshMerged(ctx context.Context, p indexPlan) {
	s.mu.RLock()
	idx, scope := s.index, s.scope
	s.mu.RUnlock()
	if idx == nil {
		return
	}
	entries := make([]search.Entry, 0, len(p.persons))
	for id, r := range p.persons {
		if p.reread[id] {
			continue
		}
		e, ok := indexEntry(r, p.measures[id], scope)
		if !ok || r.Archived {
			idx.Remove(id)
			continue
		}
		if !p.known[id] {
			old, had := idx.Get(id)
			if !had {
				p.reread[id] = true // restored, or measures merged earlier
				continue
			}
			e.Status, e.MeasureType, e.EndDate = old.Status, old.MeasureType, old.EndDate
		}
		entries = append(entries, e)
	}
	putEntries(idx, entries)
	s.refreshIndex(ctx, p.reread)
}

// putEntries adds entries to the index. Put moves an entry within every
// order of the index, PutAll merges a sorted batch into each: past a few
// dozen entries the merge is cheaper (a pull page of edits puts thousands).
func putEntries(idx *search.Index, entries []search.Entry) {
	if len(entries) >= putAllFrom {
		idx.PutAll(entries)
		return
	}
	for _, e := range entries {
		idx.Put(e)
	}
}

// putAllFrom is the batch size from which putEntries uses PutAll.
const putAllFrom = 64
