package store

import (
	"context"
	"errors"
	"sync"

	"rehabdesk/store/search"
)

// IndexHold collects the search-index updates of the transactions handed
// to it (Tx.HoldIndex) and applies them in one pass on Release. A ledger
// import commits a batch every half second: merging each batch into every
// order of the index cost a tenth of the import's CPU, spent while the one
// writer waited, where one pass at the end sorts the whole index once.
// Until Release, searches do not show the persons those transactions
// created or changed; writes of other transactions show at once as before.
type IndexHold struct {
	s        *Store
	idx      *search.Index   // the index when the hold began
	override map[string]bool // persons an unheld transaction refreshed meanwhile

	// The entries of each held transaction are built on a goroutine of
	// their own (held) while the writer goes on with the next one; mu
	// guards what they fill in, building counts them.
	building sync.WaitGroup
	mu       sync.Mutex
	entries  [][]search.Entry // persons created by held transactions, a slice per transaction
	reread   map[string]bool  // other persons they touched: read back on Release
}

// ErrIndexHeld is returned by HoldIndex while another hold is open.
var ErrIndexHeld = errors.New("the search index is already held")

// HoldIndex begins a hold; one at a time. The caller must Release it,
// whatever happens to its transactions.
func (s *Store) HoldIndex() (*IndexHold, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hold != nil {
		return nil, ErrIndexHeld
	}
	s.hold = &IndexHold{s: s, idx: s.index, reread: map[string]bool{}, override: map[string]bool{}}
	return s.hold, nil
}

// HoldIndex defers this transaction's search-index update to h.Release.
func (tx *Tx) HoldIndex(h *IndexHold) { tx.hold = h }

// Release applies the held updates and ends the hold. A person some other
// write changed meanwhile is read back from the database instead of taking
// its held entry, which is older. If the index was rebuilt meanwhile (a
// lock and unlock), it holds the batches committed before the rebuild but
// maybe not those after: every held person is read back into it.
func (h *IndexHold) Release(ctx context.Context) {
	s := h.s
	s.writeMu.Lock() // no transaction commits or refreshes meanwhile
	defer s.writeMu.Unlock()
	h.building.Wait()
	s.mu.Lock()
	if s.hold == h {
		s.hold = nil
	}
	idx, scope := s.index, s.scope
	s.mu.Unlock()
	if idx == nil {
		return // locked: the next sign-in reads everything from the database
	}
	rebuilt := idx != h.idx
	n := 0
	for _, es := range h.entries {
		n += len(es)
	}
	fresh := make([]search.Entry, 0, n)
	for _, es := range h.entries {
		for _, e := range es {
			switch {
			case rebuilt || h.override[e.ID]:
				h.reread[e.ID] = true
			case !h.reread[e.ID]:
				fresh = append(fresh, e)
			}
		}
	}
	idx.PutAll(fresh)
	if len(h.reread) > 0 {
		s.refreshMany(ctx, idx, scope, h.reread)
	}
}

// held keeps a committed transaction's index update for Release. Called
// with writeMu held, like every refresh.
// The entries are built on another goroutine: the transaction is over and
// its records are not changed again, and building them on the writer's
// goroutine held up the next transaction (about a fifteenth of an
// import's writer CPU). Release waits for them.
func (h *IndexHold) held(tx *Tx) {
	scope := h.s.scopeNow()
	h.building.Go(func() {
		created, rest := tx.createdEntries(scope)
		h.mu.Lock()
		defer h.mu.Unlock()
		h.entries = append(h.entries, created)
		for id := range rest {
			h.reread[id] = true
		}
	})
}

// overridden notes the persons an unheld transaction touched: their held
// entries, older, must not replace what it puts in the index. Called with
// writeMu held, after the commit or (ApplyRemote, which refreshes the
// index after releasing writeMu) before it: a person noted for a write
// that then failed is only read back for nothing.
func (s *Store) overridden(tx *Tx) {
	s.mu.RLock()
	h := s.hold
	s.mu.RUnlock()
	if h == nil || tx.hold == h {
		return
	}
	for id := range tx.touched {
		h.override[id] = true
	}
}

func (s *Store) scopeNow() map[string]bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.scope
}
