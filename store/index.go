package store

import (
	"context"

	"rehabdesk/store/search"
	"rehabdesk/store/valid"
)

// Search answers the people list and search-as-you-type from the in-memory
// index (names and ID numbers are encrypted, so SQL cannot search them).
// Volunteers get only their assigned persons; nobody gets persons
// transferred away (their entries may linger until their file is erased).
func (s *Store) Search(q search.Query) search.Result {
	s.mu.RLock()
	idx, scope, away := s.index, s.scope, s.away
	s.mu.RUnlock()
	if idx == nil {
		return search.Result{}
	}
	if scope != nil {
		prev := q.Allowed
		q.Allowed = func(id string) bool { return scope[id] && (prev == nil || prev(id)) }
	}
	if len(away.persons) > 0 {
		prev := q.Allowed
		q.Allowed = func(id string) bool { return !away.has(id) && (prev == nil || prev(id)) }
	}
	return idx.Search(q)
}

// SearchEntry returns the index entry of one person.
func (s *Store) SearchEntry(id string) (search.Entry, bool) {
	s.mu.RLock()
	idx := s.index
	s.mu.RUnlock()
	if idx == nil || !s.inScope(id) || s.awayNow().has(id) {
		return search.Entry{}, false
	}
	return idx.Get(id)
}

// reloadIndex rebuilds the search index and the volunteer scope from the
// database, after unlock and after a sync.
func (s *Store) reloadIndex(ctx context.Context) error {
	seal, err := s.sealerOrErr()
	if err != nil {
		return err
	}
	idx, scope, err := s.buildIndex(ctx, s.Session(), seal)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.index, s.scope = idx, scope
	s.mu.Unlock()
	return nil
}

// buildIndex makes the index of the persons a session may see. A
// volunteer's index holds only their persons, with masked ID numbers, so
// that neither results nor ID-fragment searches reveal the full number.
func (s *Store) buildIndex(ctx context.Context, sess Session, seal *sealer) (*search.Index, map[string]bool, error) {
	// Transfers merged by another process on this file count from here on.
	if err := s.publishAway(ctx); err != nil {
		return nil, nil, err
	}
	scope, err := s.loadScope(ctx, sess, seal)
	if err != nil {
		return nil, nil, err
	}
	all, err := s.indexEntries(ctx, seal)
	if err != nil {
		return nil, nil, err
	}
	entries := all
	if scope != nil {
		entries = make([]search.Entry, 0, len(scope))
		for _, e := range all {
			if e, ok := scopeEntry(e, scope); ok {
				entries = append(entries, e)
			}
		}
	}
	idx := search.New()
	idx.PutAll(entries)
	return idx, scope, nil
}

// loadOpen reads the live records of a kind, decrypting on every CPU and
// without field versions: sign-in decrypts the whole township to build the
// index, and AES-GCM and JSON decoding, not SQLite, are most of that wait.
// The sealer is passed in because sign-in reads before it publishes it.
func (s *Store) loadOpen(ctx context.Context, seal *sealer, kind Kind) ([]*Record, error) {
	raws, err := s.loadRaw(ctx, []Kind{kind})
	if err != nil {
		return nil, err
	}
	return openAll(seal, raws)
}

// indexEntry is the search entry of a person as a session with this scope
// may see it; ok is false for a person outside the scope.
func indexEntry(p, m *Record, scope map[string]bool) (search.Entry, bool) {
	return scopeEntry(entryOf(p, m), scope)
}

// scopeEntry is a person's full entry as a session with this scope may
// see it: none outside the scope, a masked ID number inside a volunteer's.
func scopeEntry(e search.Entry, scope map[string]bool) (search.Entry, bool) {
	if scope == nil {
		return e, true
	}
	if !scope[e.ID] {
		return search.Entry{}, false
	}
	if e.IDNumber != "" {
		e.IDNumber = valid.MaskID(e.IDNumber)
	}
	return e, true
}

// loadScope returns the persons assigned to a volunteer session, nil for others.
func (s *Store) loadScope(ctx context.Context, sess Session, seal *sealer) (map[string]bool, error) {
	if sess.Role != "volunteer" {
		return nil, nil
	}
	scope := map[string]bool{}
	as, err := s.loadOpen(ctx, seal, KindAssignment)
	if err != nil {
		return nil, err
	}
	today := s.Today().Format("2006-01-02")
	for _, a := range as {
		ended := a.Fields["end_date"] != "" && a.Fields["end_date"] < today
		if a.Fields["role"] == "volunteer" && a.Fields["member"] == sess.Volunteer && sess.Volunteer != "" && !ended {
			scope[a.PersonID] = true
		}
	}
	return scope, nil
}

// refreshIndex updates the entries of persons touched by a write.
func (s *Store) refreshIndex(ctx context.Context, persons map[string]bool) {
	s.mu.RLock()
	idx, scope := s.index, s.scope
	s.mu.RUnlock()
	if idx == nil {
		return
	}
	if len(persons) > bulkRefresh {
		s.refreshMany(ctx, idx, scope, persons)
		return
	}
	for id := range persons {
		p, err := s.getRecord(ctx, s.db, id)
		if err != nil || p.Kind != KindPerson || p.Archived {
			idx.Remove(id)
			continue
		}
		ms, err := s.listPersonKind(ctx, id, KindMeasure)
		if err != nil {
			continue
		}
		if e, ok := indexEntry(p, currentMeasures(ms)[id], scope); ok {
			idx.Put(e)
		} else {
			idx.Remove(id)
		}
	}
}

func (s *Store) listPersonKind(ctx context.Context, person string, kind Kind) ([]*Record, error) {
	return s.queryRecords(ctx, "SELECT "+recordColumns+" FROM records WHERE person_id = ? AND kind = ? AND archived = 0", person, string(kind))
}

// CurrentMeasure picks, among one person's live measures, the one in force:
// the one that started (or was decided) last.
func CurrentMeasure(ms []*Record) *Record {
	var best *Record
	for _, m := range ms {
		if m.Archived {
			continue
		}
		if best == nil || measureKey(m) > measureKey(best) {
			best = m
		}
	}
	return best
}

func measureKey(m *Record) string {
	for _, f := range []string{"start_date", "received_date", "decision_date"} {
		if d := m.Fields[f]; d != "" {
			return d + m.ID
		}
	}
	return m.ID
}

func currentMeasures(ms []*Record) map[string]*Record {
	byPerson := map[string][]*Record{}
	for _, m := range ms {
		byPerson[m.PersonID] = append(byPerson[m.PersonID], m)
	}
	out := make(map[string]*Record, len(byPerson))
	for p, list := range byPerson {
		out[p] = CurrentMeasure(list)
	}
	return out
}

func entryOf(p, m *Record) search.Entry {
	e := search.Entry{ID: p.ID, Name: p.Fields["name"], IDNumber: p.Fields["id_number"],
		Village: p.Fields["village"], Risk: p.Fields["risk"], Updated: p.Updated.UnixMilli()}
	if m != nil {
		e.Status, e.MeasureType, e.EndDate = m.Fields["status"], m.Fields["type"], m.Fields["planned_end"]
	}
	return e
}
