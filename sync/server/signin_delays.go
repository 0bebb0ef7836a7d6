package server

import (
	"hash/fnv"
	"sync"
	"time"

	"rehabdesk/store"
)

// addrDelays counts sign-in tries per key in memory — a remote address, or
// a name no account has — with the accounts' growing waits
// (store.SignInDelay) after free more free ones: the staff of an office
// may share one address, and one person's typos must not make the others
// wait. A try is counted before its password is checked, so tries sent in
// parallel cannot all pass before the first failure; a right password
// clears the count.
type addrDelays struct {
	mu    sync.Mutex
	now   func() time.Time
	free  int
	fails map[string]addrFail
}

// addrFreeFailures are the wrong sign-ins an address makes before any wait.
const addrFreeFailures = 7

type addrFail struct {
	n     int
	until time.Time
}

func newDelays(now func() time.Time, free int) *addrDelays {
	return &addrDelays{now: now, free: free, fails: map[string]addrFail{}}
}

// try returns the wait still imposed on key, or counts one more try and
// returns 0.
func (d *addrDelays) try(key string) time.Duration {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	if wait := d.fails[key].until.Sub(now); wait > 0 {
		return wait
	}
	if len(d.fails) > 10000 { // bounded: forget the keys whose wait is over
		for a, f := range d.fails {
			if f.until.Before(now) {
				delete(d.fails, a)
			}
		}
	}
	f := d.fails[key]
	f.n++
	if w := store.SignInDelay(f.n - d.free); w > 0 {
		f.until = now.Add(w)
	}
	d.fails[key] = f
	return 0
}

func (d *addrDelays) clear(key string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.fails, key)
}

// nameLocks serialize the sign-ins of one name (striped: names may share
// a lock, which only makes them wait for each other's few milliseconds).
type nameLocks [64]sync.Mutex

// lock locks name's stripe and returns its unlock.
func (l *nameLocks) lock(name string) func() {
	h := fnv.New32a()
	h.Write([]byte(name))
	m := &l[h.Sum32()%uint32(len(l))]
	m.Lock()
	return m.Unlock
}
