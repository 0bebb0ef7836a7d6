package ledger

import (
	"context"
	"sync"
	"testing"
)

// cancelAfter is a context cancelled when Done has been asked for the
// k-th time: a user pressing Cancel at any point of an import.
type cancelAfter struct {
	context.Context
	mu     sync.Mutex
	n, k   int
	cancel context.CancelFunc
}

func (c *cancelAfter) Done() <-chan struct{} {
	c.mu.Lock()
	c.n++
	if c.n == c.k {
		c.cancel()
	}
	c.mu.Unlock()
	return c.Context.Done()
}

// Wherever an import is cancelled, it leaves the search index free for the
// next import to hold (a hold left behind made every later import update
// the index batch by batch, and kept noting every write for nobody).
func TestCancelledAnywhereTheImportLeavesNoHold(t *testing.T) {
	for k := 1; ; k++ {
		s := newStore(t)
		inner, cancel := context.WithCancel(context.Background())
		_, err := ImportBytes(&cancelAfter{Context: inner, k: k, cancel: cancel}, s, ledgerCSV(rowZhang, rowLi), Options{})
		cancel()
		h, herr := s.HoldIndex()
		if herr != nil {
			t.Fatalf("cancelled at the %d-th check (%v): the index is still held: %v", k, err, herr)
		}
		h.Release(context.Background())
		if err == nil {
			return // got through: every point before has been tried
		}
	}
}
