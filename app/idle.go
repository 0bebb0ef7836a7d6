package app

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// idleLock calls onIdle once when no input was seen for a while: a laptop
// left open in a village office must not show drug-use records to the next
// person who walks by. Input is reported with Touch by the canvas key
// handlers and by every screen's own callbacks (taps, typing, selection).
type idleLock struct {
	after  time.Duration
	onIdle func()
	now    func() time.Time

	mu    sync.Mutex
	last  time.Time
	fired bool
	stop  chan struct{}
}

func newIdleLock(after time.Duration, onIdle func()) *idleLock {
	return &idleLock{after: after, onIdle: onIdle, now: time.Now, last: time.Now()}
}

// Touch records input now.
func (l *idleLock) Touch() {
	l.mu.Lock()
	l.last, l.fired = l.now(), false
	l.mu.Unlock()
}

// Start checks for idleness in the background until Stop.
func (l *idleLock) Start() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stop != nil {
		return
	}
	l.stop = make(chan struct{})
	go l.loop(l.stop)
}

// Stop ends the background check.
func (l *idleLock) Stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stop != nil {
		close(l.stop)
		l.stop = nil
	}
}

func (l *idleLock) loop(stop chan struct{}) {
	t := time.NewTicker(15 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			if l.due() {
				fyne.Do(l.onIdle)
			}
		}
	}
}

// due reports, once per idle period, that the limit has passed.
func (l *idleLock) due() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fired || l.now().Sub(l.last) < l.after {
		return false
	}
	l.fired = true
	return true
}
