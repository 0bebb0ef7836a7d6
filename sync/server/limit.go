package server

import (
	"sync"
	"time"
)

// limiter counts failures per key in a sliding window, so that guessing
// enrollment codes is slow while a typo costs nothing. Keys are remote
// addresses where no token is known, else "token:" and the token's hash.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	now    func() time.Time
	fails  map[string][]time.Time
	swept  time.Time // when keys whose failures are all old were last dropped
}

func newLimiter(max int, window time.Duration, now func() time.Time) *limiter {
	return &limiter{max: max, window: window, now: now, fails: map[string][]time.Time{}}
}

func (l *limiter) recent(remote string) []time.Time {
	cut := l.now().Add(-l.window)
	ts := l.fails[remote]
	for len(ts) > 0 && ts[0].Before(cut) {
		ts = ts[1:]
	}
	if len(ts) == 0 {
		delete(l.fails, remote) // a key seen once must not stay for ever
	} else {
		l.fails[remote] = ts
	}
	return ts
}

// allow and fail key an IPv6 address by its /64 (addrKey): a caller
// holding a whole network must not get a fresh count at every address.
func (l *limiter) allow(remote string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.recent(addrKey(remote))) < l.max
}

func (l *limiter) fail(remote string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep()
	key := addrKey(remote)
	l.fails[key] = append(l.recent(key), l.now())
}

// sweep drops, once a window, every key whose failures are all older than
// the window: a key is otherwise only dropped when it comes back, and
// callers that never come back (one try from each of many addresses) would
// grow the map without bound.
func (l *limiter) sweep() {
	if l.now().Sub(l.swept) < l.window {
		return
	}
	l.swept = l.now()
	for key := range l.fails {
		l.recent(key)
	}
}

// size is how many keys have failures counted.
func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.fails)
}
