package store

import (
	"context"

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
	var ask []string // persons whose live measures are counted
	for person := range batchMeasures {
		ask = append(ask, person)
	}
	for id := range p.persons {
		if batchMeasures[id] == nil && !m.ents[id].exists && !p.reread[id] {
			ask = append(ask, id) // measures may arrive before their person
		}
	}
	live, err := m.liveMeasures(ask)
	if err != nil {
		return p, err
	}
	for person, ms := range batchMeasures {
		planMeasures(&p, person, ms, live[person])
	}
	for id := range p.persons {
		if batchMeasures[id] == nil && !m.ents[id].exists && !p.reread[id] {
			p.known[id] = live[id] == 0
		}
	}
	return p, nil
}

// planMeasures decides how a person's entry learns of measures merged in
// this batch: from memory when the batch holds all their n live measures,
// else by reading them again.
func planMeasures(p *indexPlan, person string, ms []*Record, n int) {
	live := make([]*Record, 0, len(ms))
	for _, r := range ms {
		if !r.Archived {
			live = append(live, r)
		}
	}
	if n == len(live) && p.persons[person] != nil {
		p.measures[person], p.known[person] = CurrentMeasure(live), true
	} else {
		p.reread[person] = true
	}
}

// liveMeasures counts the live measures of persons in the database, a few
// hundred persons per query.
func (m *merger) liveMeasures(persons []string) (map[string]int, error) {
	out := make(map[string]int, len(persons))
	for lo := 0; lo < len(persons); lo += prefetchChunk {
		in, args := paddedInList(persons[lo:min(lo+prefetchChunk, len(persons))], m.boxes)
		rows, err := m.query("SELECT person_id, count(*) FROM records WHERE person_id IN "+in+
			" AND kind = 'measure' AND archived = 0 GROUP BY person_id", args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var person string
			var n int
			if err := rows.Scan(&person, &n); err != nil {
				rows.Close()
				return nil, err
			}
			out[person] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
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
