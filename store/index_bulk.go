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
		ms, err := s.queryRecords(ctx, "SELECT "+recordColumns+" FROM records WHERE kind = 'measure' AND archived = 0 AND person_id IN "+in, args...)
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
