package store

import "context"

// hiddenFromVolunteers reports fields volunteers never see in full.
func hiddenFromVolunteers(k Kind, field string) bool {
	f, ok := SpecOf(k).Field(field)
	return ok && (f.Sensitive || f.Type == TypeIDNumber)
}

// get reads a record inside the transaction, without the session's scope:
// for the store's own checks and merges, never for showing.
func (tx *Tx) get(id string) (*Record, error) { return tx.s.getRecord(tx.ctx, tx.q(), id) }

// mayReadBlob refuses attachment content to volunteers: scanned decisions
// and identity papers are for officers only (issue 18), whichever person
// they belong to, and a hash learnt elsewhere opens nothing either.
func (s *Store) mayReadBlob(ctx context.Context, hash string) error {
	if s.Session().Role == "volunteer" {
		return ErrNotFound
	}
	return nil
}
