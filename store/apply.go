package store

import (
	"context"
)

// Merge rules (see also migrations/0002_merge.sql).
//
// Every field of every record merges on its own. A value is named by its
// version (clock reading @ device, totally ordered). A change lists, per
// field, the versions it replaced: its bases, the values its writer saw.
//
//   - The current value of a field is the one with the greatest version among
//     the changes a replica has. A device that saw a version always writes
//     after it (its clock observes what it merges), so a sequential edit
//     always wins over what it replaced.
//   - A version nobody names as a base is a leaf: nobody saw it being replaced.
//     Every leaf but the current value is an open conflict: a concurrent edit
//     that lost, kept and shown to the officer. A change naming it as a base
//     (an edit or a conflict resolution that saw it) closes it.
//   - Both sets are functions of the set of changes a replica has, not of the
//     order they came in: a base that names a version not yet received is
//     remembered (a "ghost"), so that version is superseded when it arrives.
//   - Derived fields (birth date from the ID number...) follow their source and
//     never open conflicts of their own.
//   - An archived record whose fields have versions newer than what the
//     archiving device had seen (Change.Bases[BaseSeen]) is "edited while
//     archived": the edit applies and the officer decides.

// ApplyStats sums up one merge.
type ApplyStats struct {
	Applied   int               // changes new to this store, merged
	Duplicate int               // changes it already had (no-ops)
	Fields    int               // field values merged in the applied changes
	Conflicts int               // conflicts opened
	Rejected  []*BadChangeError // structurally broken changes, skipped
	// Refused are account changes not merged because they would lock this
	// device out (lockout.go), whatever the server let through.
	Refused []*BadChangeError
}

// ApplyRemote merges changes written on other devices, in one transaction,
// in any order, any number of times: a change already in the log is a
// no-op. A malformed change, or an attachment change linked to a record
// here that is not an event of its person (attachment_link.go), is skipped
// and listed in ApplyStats.Rejected;
// other errors abort the whole batch. Every session may merge (volunteers'
// and county devices included): the device trusts its county server, which
// sends only what the device's scope covers.
func (s *Store) ApplyRemote(ctx context.Context, changes []*Change) (ApplyStats, error) {
	var st ApplyStats
	var plan indexPlan
	scopeKinds := false
	err := s.update(ctx, func(tx *Tx) error {
		// Files erased after a transfer stay erased. Read under the write
		// lock: a purge committing in between would otherwise let this
		// batch bring back part of a file it just erased.
		changes = s.dropPurged(changes)
		var refused, foreign []*BadChangeError
		var err error
		if changes, refused, err = tx.holdLockouts(changes); err != nil {
			return err
		}
		if changes, foreign, err = tx.refuseForeignEvents(changes); err != nil {
			return err
		}
		m := newMerger(tx)
		defer m.close()
		if err := m.applyAll(changes); err != nil {
			return err
		}
		m.stats.Rejected = append(m.stats.Rejected, foreign...)
		if plan, err = m.indexPlan(); err != nil {
			return err
		}
		// The search index is refreshed from the plan below, not by
		// re-reading every touched person; an import's hold must know
		// them now, as that refresh runs after writeMu is released.
		s.overridden(tx)
		tx.touched = map[string]bool{}
		st, scopeKinds = m.stats, m.scopeChanged
		st.Refused = refused
		return tx.settleTransfers(changes)
	})
	if err != nil {
		return st, err
	}
	for _, r := range st.Refused {
		s.Audit(ctx, ActionAccountChange, r.EntityID, AuditDetail(AuditRefusedRemote, r.Version, r.Reason)) // best effort: the merge stands
	}
	if scopeKinds && s.Session().Role == "volunteer" {
		return st, s.reloadIndex(ctx) // a new assignment widens the volunteer's scope
	}
	s.refreshMerged(ctx, plan)
	return st, nil
}

// ApplyRemote merges one change written on another device inside tx. A
// malformed change returns a *BadChangeError and writes nothing. For many
// changes Store.ApplyRemote is much faster: it reads and writes each record
// once per batch.
func (tx *Tx) ApplyRemote(ch *Change) error {
	_, refused, err := tx.holdLockouts([]*Change{ch})
	if err != nil {
		return err
	}
	if len(refused) > 0 {
		return refused[0]
	}
	if _, refused, err = tx.refuseForeignEvents([]*Change{ch}); err != nil {
		return err
	}
	if len(refused) > 0 {
		return refused[0]
	}
	m := newMerger(tx)
	defer m.close()
	if err := m.applyAll([]*Change{ch}); err != nil {
		return err
	}
	if len(m.stats.Rejected) > 0 {
		return m.stats.Rejected[0]
	}
	return nil
}
