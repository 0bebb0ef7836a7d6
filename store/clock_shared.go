package store

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Several handles may write one database at once: the GUI open while a
// command-line import runs, two imports, two windows. Each handle has its
// own Clock in memory and all of them stamp the same device id, so two of
// them could issue the same reading, and the change log keeps one change
// per reading and device: the second change was lost (issue 13). The
// database is the reference instead. Every write transaction, once it
// holds SQLite's write lock, reads the reading the last writer stored in
// meta "hlc" and moves this handle's clock past it (joinStoredClock), and
// every transaction that issued readings stores its clock before it
// commits (storeClock). Readings issued inside a transaction are therefore
// after every reading of every other writer.
//
// A bulk import stamps its rows before its transaction (Staged), so a
// staged set may hold readings that another writer issued too; such a set
// is stamped again inside the transaction (Staged.restamp). To tell those
// apart without restamping every batch, a handle keeps the greatest
// reading another writer may have issued: the stored reading when it is
// not the one this handle stored last. The stored reading only grows
// (every writer joins it before storing its own), so a value this handle
// did not store means that someone else wrote meanwhile.

// sharedClock is what a handle knows of the readings in the database.
type sharedClock struct {
	mu      sync.Mutex
	stored  HLC // the reading this handle stored last (at open: the one it found)
	foreign HLC // no other writer has issued a reading after it
	// seen is the stored reading the search index is known to reflect;
	// stale is set once another writer stored one after it (see CatchUp).
	seen  HLC
	stale bool
}

// joinStoredClock reads the stored clock under the write lock of the
// transaction q, moves the clock past it and returns the foreign floor:
// a reading this handle issued before and at most it may collide.
func (s *Store) joinStoredClock(ctx context.Context, q querier) (HLC, error) {
	h, err := metaGet(ctx, q, "hlc")
	if err != nil {
		return HLC{}, fmt.Errorf("read clock: %w", err)
	}
	stored, err := ParseHLC(h)
	if err != nil {
		return HLC{}, fmt.Errorf("read clock: %w", err)
	}
	s.clock.join(stored)
	sc := &s.shared
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if stored != sc.stored && sc.foreign.Less(stored) {
		sc.foreign = stored
	}
	if stored != sc.seen {
		sc.stale = true
	}
	return sc.foreign, nil
}

// join moves the clock past a reading this device stored. Unlike a
// remote reading (Observe), it is never bounded or refused, however far
// ahead of the wall clock it is: issuing a reading at or before it could
// repeat one of this device's own.
func (c *Clock) join(h HLC) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.last.Less(h) {
		c.last = h
	}
}

// storeClock stores the clock's last reading in the transaction q, for the
// next writer of any handle to join.
func (s *Store) storeClock(ctx context.Context, q querier) error {
	last := s.clock.Last()
	if err := metaSet(ctx, q, "hlc", last.String()); err != nil {
		return err
	}
	s.shared.mu.Lock()
	s.shared.stored = last
	if !s.shared.stale {
		s.shared.seen = last // this handle's own writes refresh its index
	}
	s.shared.mu.Unlock()
	return nil
}

// CatchUp reloads the search index when another handle of the database
// (a command-line import, another window) wrote since this one last
// looked: the people list would otherwise miss what it wrote until the
// next sign-in. It reports whether it reloaded; one read of meta when
// nothing changed.
func (s *Store) CatchUp(ctx context.Context) (bool, error) {
	h, err := metaGet(ctx, s.db, "hlc")
	if err != nil {
		return false, fmt.Errorf("read clock: %w", err)
	}
	stored, err := ParseHLC(h)
	if err != nil {
		return false, fmt.Errorf("read clock: %w", err)
	}
	sc := &s.shared
	sc.mu.Lock()
	stale := sc.stale || stored != sc.seen
	sc.mu.Unlock()
	if !stale {
		return false, nil
	}
	if err := s.reloadIndex(ctx); err != nil {
		return false, err
	}
	sc.mu.Lock()
	sc.seen, sc.stale = stored, false // a write after the read above shows as a new stored reading
	sc.mu.Unlock()
	return true, nil
}

// fresh reports whether every reading of the set is after floor: the set's
// changes were stamped in order by one clock, so its first is its least.
func (sg *Staged) fresh(floor HLC) bool {
	return len(sg.changes) == 0 || floor.Less(sg.changes[0].HLC)
}

// restamp gives the set's changes new readings from the clock (which has
// joined the stored one) and rewrites the versions, bases and times that
// named the old ones; the set is sealed again when written.
func (sg *Staged) restamp() {
	renamed := make(map[string]string, len(sg.changes))
	for _, ch := range sg.changes {
		old := ch.Version().String()
		ch.HLC = sg.s.clock.Now()
		renamed[old] = ch.Version().String()
		for _, bases := range ch.Bases {
			for i, b := range bases {
				if n, ok := renamed[b]; ok {
					bases[i] = n
				}
			}
		}
	}
	for _, r := range sg.order {
		for f, v := range r.Versions {
			if n, ok := renamed[v]; ok {
				r.Versions[f] = n
			}
		}
		r.Created, r.Updated = time.Time{}, time.Time{}
	}
	for _, ch := range sg.changes {
		if r := sg.find(ch.EntityID); r != nil {
			stampMeta(r, ch.HLC.Time())
		}
	}
	sg.rows = nil
}
