package store

import (
	"context"
	"slices"

	"rehabdesk/store/search"
)

// bulkRefresh is the number of touched persons above which a write's search
// entries are refreshed with a few chunked queries and one PutAll instead of
// two queries and an ordered insert per person: a ledger import batch
// touches a thousand persons at once.
const bulkRefresh = 32

// refreshMany is refreshIndex for many persons. On a read error it leaves
// the entries as they are, like refreshIndex; the next reload repairs them.
func (s *Store) refreshMany(ctx context.Context, idx *search.Index, scope map[string]bool, persons map[string]bool) {
	ids := make([]string, 0, len(persons))
	for id := range persons {
		ids = append(ids, id)
	}
	recs := map[string]*Record{}
	byPerson := map[string][]*Record{}
	for chunk := range slices.Chunk(ids, 500) {
		in, args := inList(chunk)
		ps, err := s.queryRecords(ctx, "SELECT "+recordColumns+" FROM records WHERE id IN "+in, args...)
		if err != nil {
			return
		}
		// The unary + keeps SQLite on records_person: records_kind would
		// walk every measure of the township for each chunk.
		ms, err := s.queryRecords(ctx, "SELECT "+recordColumns+" FROM records WHERE person_id IN "+in+" AND +kind = 'measure' AND +archived = 0", args...)
		if err != nil {
			return
		}
		for _, p := range ps {
			recs[p.ID] = p
		}
		for _, m := range ms {
			byPerson[m.PersonID] = append(byPerson[m.PersonID], m)
		}
	}
	entries := make([]search.Entry, 0, len(ids))
	for _, id := range ids {
		p := recs[id]
		e, ok := search.Entry{}, false
		if p != nil && p.Kind == KindPerson && !p.Archived {
			e, ok = indexEntry(p, CurrentMeasure(byPerson[id]), scope)
		}
		if ok {
			entries = append(entries, e)
		} else {
			idx.Remove(id)
		}
	}
	idx.PutAll(entries)
}

// queryRecords runs a SELECT of recordColumns and decodes the rows.
func (s *Store) queryRecords(ctx context.Context, query string, args ...any) ([]*Record, error) {
	seal, err := s.sealerOrErr()
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Record
	for rows.Next() {
		r, err := s.scanRecord(seal, rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// noteCreated marks a record id as new in this transaction: no other
// device can know it yet, so all of a new person's measures are among the
// records this transaction writes.
func (tx *Tx) noteCreated(id string) {
	if tx.created == nil {
		tx.created = map[string]bool{}
	}
	tx.created[id] = true
}

// noteWritten keeps the persons and measures a transaction saved, so that
// the search entries of new persons are built without reading them back.
func (tx *Tx) noteWritten(r *Record) {
	if r.Kind != KindPerson && r.Kind != KindMeasure {
		return
	}
	if tx.written == nil {
		tx.written = map[string]*Record{}
	}
	tx.written[r.ID] = r
}

// refreshAfter updates the search index after a committed write, or
// keeps the update for the transaction's IndexHold. The entries of persons
// the write created come from the records in memory; the others are read
// back (a person's older measures may not be in it).
func (s *Store) refreshAfter(ctx context.Context, tx *Tx) {
	if tx.hold != nil {
		tx.hold.held(tx)
		return
	}
	s.overridden(tx)
	if len(tx.touched) <= bulkRefresh {
		s.refreshIndex(ctx, tx.touched)
		return
	}
	s.mu.RLock()
	idx, scope := s.index, s.scope
	s.mu.RUnlock()
	if idx == nil {
		return
	}
	entries, rest := tx.createdEntries(scope)
	idx.PutAll(entries)
	if len(rest) > 0 {
		s.refreshMany(ctx, idx, scope, rest)
	}
}

// createdEntries returns the search entries of the live persons the
// transaction created, built from the records it wrote, and the other
// persons it touched.
func (tx *Tx) createdEntries(scope map[string]bool) ([]search.Entry, map[string]bool) {
	measures := make(map[string][]*Record, len(tx.touched))
	for _, r := range tx.written {
		if r.Kind == KindMeasure && !r.Archived {
			measures[r.PersonID] = append(measures[r.PersonID], r)
		}
	}
	rest := map[string]bool{}
	entries := make([]search.Entry, 0, len(tx.touched))
	for id := range tx.touched {
		p := tx.written[id]
		if p == nil || !tx.created[id] || p.Kind != KindPerson || p.Archived {
			rest[id] = true
			continue
		}
		if e, ok := indexEntry(p, CurrentMeasure(measures[id]), scope); ok {
			entries = append(entries, e)
		}
	}
	return entries, rest
}
