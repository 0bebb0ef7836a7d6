package store

import "context"

// ScopeChanges keeps the changes the session may read and, for a volunteer,
// drops the fields a volunteer may not see: sensitive fields and ID numbers
// (dropped, not masked, so that a masked number can never be written back
// as a value). Officers and the county get the list unchanged. Every
// exported method that returns changes passes them through here; the merge
// engine's conflict lists should too.
func (s *Store) ScopeChanges(cs []*Change) []*Change {
	s.mu.RLock()
	scope, sess := s.scope, s.session
	s.mu.RUnlock()
	if scope == nil {
		return cs
	}
	out := make([]*Change, 0, len(cs))
	for _, c := range cs {
		if changeReadable(c, scope, sess) {
			out = append(out, redactChange(c))
		}
	}
	return out
}

// changeReadable mirrors mayRead for a change, which may carry only some
// fields of its record (so accounts, known by user name, are never shown).
func changeReadable(c *Change, scope map[string]bool, sess Session) bool {
	spec := SpecOf(c.Kind)
	switch {
	case c.Kind == KindViolation || c.Kind == KindAccount || c.Kind == KindAttachment || spec == nil:
		return false
	case c.Kind == KindPerson:
		return scope[c.EntityID]
	case spec.PersonScoped:
		return scope[c.PersonID]
	case c.Kind == KindVolunteer:
		return c.EntityID == sess.Volunteer
	}
	return true
}

// redactChange returns a copy of a change without hidden fields.
func redactChange(c *Change) *Change {
	cp := *c
	cp.Fields = make(map[string]string, len(c.Fields))
	cp.Bases = make(map[string][]string, len(c.Bases))
	for f, v := range c.Fields {
		if !hiddenFromVolunteers(c.Kind, f) {
			cp.Fields[f] = v
		}
	}
	for f, b := range c.Bases {
		if !hiddenFromVolunteers(c.Kind, f) {
			cp.Bases[f] = b
		}
	}
	return &cp
}

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
