package search

import (
	"sync"
	"testing"
)

// TestConcurrentPutSearch is meant for -race: writers and readers share
// one index, and lazily built orders are shared by readers.
func TestConcurrentPutSearch(t *testing.T) {
	es := synth(1000, 9)
	x := New()
	x.PutAll(es[:500])
	var wg sync.WaitGroup
	wg.Go(func() {
		for i, e := range es[500:] {
			x.Put(e)
			if i%3 == 0 {
				x.Remove(es[i].ID)
			}
		}
	})
	for w := range 4 {
		wg.Go(func() {
			for i := range 200 {
				q := Query{Text: []string{"", "z", "12", "王"}[i%4], Sort: SortKey((w + i) % int(numSortKeys)), Limit: 20}
				r := x.Search(q)
				if len(r.Entries) > 20 || r.Total < len(r.Entries) {
					t.Errorf("bad result: total %d, %d entries", r.Total, len(r.Entries))
				}
				x.Get(es[i].ID)
			}
		})
	}
	wg.Wait()
	if want := 1000 - 167; x.Len() != want {
		t.Errorf("Len = %d, want %d", x.Len(), want)
	}
}
