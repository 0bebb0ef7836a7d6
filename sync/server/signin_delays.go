package server

import (
	"context"
	"database/sql"
	"errors"
	"hash/fnv"
	"sync"
	"time"

	"rehabdesk/store"
)

// Sign-in tries are counted in the database, not in a countyd's memory, so
// that several countyd on one database share them (an attacker alternating
// between servers meets one growing wait) and a restart clears nothing.
// A try is counted before its password is checked, in a transaction that
// also stores the wait it earns: tries sent in parallel, to one server or
// several, cannot all pass before the first failure; a right password
// clears the count.

// tryCounter is where one kind of key is counted.
type tryCounter struct {
	// count counts one try of the key at a time (Unix ms) unless a wait
	// runs, returning the new count; no row while a wait runs (or, for
	// accounts, for a name no account has).
	count string
	until string // the end of the key's wait
	// setUntil stores the end of the wait (first argument), for the key.
	setUntil string
	free     int // tries before the waits of store.SignInDelay apply
}

var (
	// accountTries counts an account's tries in the account itself, where
	// the workbench lists them.
	accountTries = tryCounter{
		count:    "UPDATE county_accounts SET failures = failures + 1 WHERE username = ? AND locked_until <= ? RETURNING failures",
		until:    "SELECT locked_until FROM county_accounts WHERE username = ?",
		setUntil: "UPDATE county_accounts SET locked_until = ? WHERE username = ?",
	}
	// addrTries and nameTries count per remote address and per name no
	// account has. The staff of an office may share one address, and one
	// person's typos must not make the others wait: an address has
	// addrFreeFailures more free tries.
	addrTries = keyTries(addrFreeFailures)
	nameTries = keyTries(0)
)

// addrFreeFailures are the wrong sign-ins an address makes before any wait.
const addrFreeFailures = 7

func keyTries(free int) tryCounter {
	return tryCounter{
		count: `INSERT INTO signin_waits(subject, failures, until_at, last_at) VALUES(?, 1, 0, ?)
			ON CONFLICT(subject) DO UPDATE SET failures = signin_waits.failures + 1, last_at = excluded.last_at
			WHERE signin_waits.until_at <= excluded.last_at RETURNING failures`,
		until:    "SELECT until_at FROM signin_waits WHERE subject = ?",
		setUntil: "UPDATE signin_waits SET until_at = ? WHERE subject = ?",
		free:     free,
	}
}

// tryKey returns the wait still imposed on key, or counts one more try and
// returns 0. ErrNoAccount: accountTries for a name no account has.
func (s *Server) tryKey(ctx context.Context, c tryCounter, key string) (time.Duration, error) {
	now := s.now()
	var wait time.Duration
	err := s.inTx(ctx, func(tx execer) error {
		var n int
		err := tx.QueryRowContext(ctx, c.count, key, now.UnixMilli()).Scan(&n)
		if errors.Is(err, sql.ErrNoRows) {
			wait, err = waitLeft(ctx, tx, c, key, now)
			return err
		}
		if err != nil {
			return err
		}
		if d := store.SignInDelay(n - c.free); d > 0 {
			_, err = tx.ExecContext(ctx, c.setUntil, now.Add(d).UnixMilli(), key)
		}
		return err
	})
	return wait, err
}

// waitLeft reads how long key's wait still runs.
func waitLeft(ctx context.Context, tx execer, c tryCounter, key string, now time.Time) (time.Duration, error) {
	var until int64
	err := tx.QueryRowContext(ctx, c.until, key).Scan(&until)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNoAccount
	}
	return max(time.UnixMilli(until).Sub(now), time.Millisecond), err
}

// clearTries forgets the tries of a remote address after a right password,
// and every key untried for a day.
func (s *Server) clearTries(ctx context.Context, key string) error {
	_, err := s.db.ExecContext(ctx, "DELETE FROM signin_waits WHERE subject = ? OR last_at < ?", key, s.now().Add(-24*time.Hour).UnixMilli())
	return err
}

// nameLocks serialize the sign-ins of one name within a process (striped:
// names may share a lock, which only makes them wait for each other's few
// milliseconds), so that its tries do not queue on the database.
type nameLocks [64]sync.Mutex

// lock locks name's stripe and returns its unlock.
func (l *nameLocks) lock(name string) func() {
	h := fnv.New32a()
	h.Write([]byte(name))
	m := &l[h.Sum32()%uint32(len(l))]
	m.Lock()
	return m.Unlock
}
