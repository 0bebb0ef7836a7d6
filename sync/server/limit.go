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

func (l *limiter) allow(remote string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.recent(remote)) < l.max
}

func (l *limiter) fail(remote string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fails[remote] = append(l.recent(remote), l.now())
}
