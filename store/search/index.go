package search

import (
	"math"
	"runtime"
	"slices"
	"sync"
)

// Index holds the searchable entries of a township in memory. It is safe
// for concurrent use.
type Index struct {
	mu     sync.RWMutex
	recs   []rec // by slot; a removed slot is zero and listed in free
	hot    []hot // by slot, parallel to recs
	free   []int32
	byID   map[string]int32
	dicts  [numFields]dict
	orders [numSortKeys][]int32 // live slots sorted by each key
}

// New returns an empty index.
func New() *Index {
	x := &Index{byID: make(map[string]int32)}
	for k := range x.orders {
		x.orders[k] = []int32{}
	}
	return x
}

// Put inserts e or replaces the entry with the same ID.
func (x *Index) Put(e Entry) {
	var a analyzer
	r, h := newRec(e, &a)
	x.mu.Lock()
	defer x.mu.Unlock()
	x.put(r, h)
}

// put stores one record and keeps the orders up to date. A replaced entry
// moves only in the orders whose key it changes: ties are broken by ID, so
// in the others it keeps its place (an edit of one field moves it in one or
// two of the seven).
func (x *Index) put(r rec, h hot) {
	slot, ok := x.byID[r.ID]
	moved := allOrders
	if ok {
		moved = keysChanged(&x.recs[slot], &r)
		x.unorder(slot, moved)
	} else {
		slot = x.alloc(r.ID)
	}
	x.store(slot, r, h)
	x.reorder(slot, moved)
}

// orderSet is a set of sort keys, one bit per key.
type orderSet uint8

const allOrders = orderSet(1<<numSortKeys - 1)

func (m orderSet) has(k SortKey) bool { return m&(1<<k) != 0 }

// keysChanged returns the orders in which an entry replaced by one with the
// same ID changes place.
func keysChanged(old, r *rec) orderSet {
	var m orderSet
	for k := range numSortKeys {
		if compareKeys(k, old, r) != 0 {
			m |= 1 << k
		}
	}
	return m
}

// PutAll inserts or replaces many entries at once, as when a township is
// loaded after unlock; a later entry wins over an earlier one with the same
// ID. It is much faster than Put in a loop.
func (x *Index) PutAll(es []Entry) {
	rs, hs := prepare(es)
	x.mu.Lock()
	defer x.mu.Unlock()
	switch {
	case len(rs) <= putOneByOne:
		for i := range rs {
			x.put(rs[i], hs[i])
		}
	case x.added(rs) >= len(x.byID):
		x.load(rs, hs)
		x.rebuildOrders()
	default:
		// A batch into a large index (a ledger import adds a thousand
		// persons at a time, a pull page edits thousands): sorting the
		// batch and merging it into each order costs O(n + b log b)
		// instead of re-sorting all n entries, and orders no entry moves
		// in are not touched.
		x.merge(rs, hs)
	}
}

// added returns how many of rs are not in the index (duplicates within rs
// counted each time).
func (x *Index) added(rs []rec) int {
	n := 0
	for i := range rs {
		if _, ok := x.byID[rs[i].ID]; !ok {
			n++
		}
	}
	return n
}

// putOneByOne is the batch size up to which PutAll inserts entry by entry.
const putOneByOne = 8

// prepare precomputes the records of es on all CPUs.
func prepare(es []Entry) ([]rec, []hot) {
	rs, hs := make([]rec, len(es)), make([]hot, len(es))
	workers := runtime.GOMAXPROCS(0)
	chunk := max(1, (len(es)+workers-1)/workers)
	var wg sync.WaitGroup
	for lo := 0; lo < len(es); lo += chunk {
		hi := min(lo+chunk, len(es))
		wg.Go(func() {
			var a analyzer
			for i := lo; i < hi; i++ {
				rs[i], hs[i] = newRec(es[i], &a)
			}
		})
	}
	wg.Wait()
	return rs, hs
}

// load stores prepared records without maintaining the orders. An empty
// index adopts the slices as they are.
func (x *Index) load(rs []rec, hs []hot) {
	if len(x.recs) > 0 {
		x.recs, x.hot = slices.Grow(x.recs, len(rs)), slices.Grow(x.hot, len(hs))
		for i := range rs {
			slot, ok := x.byID[rs[i].ID]
			if !ok {
				slot = x.alloc(rs[i].ID)
			}
			x.store(slot, rs[i], hs[i])
		}
		return
	}
	x.recs, x.hot, x.free = rs, hs, nil
	x.byID = make(map[string]int32, len(rs))
	for slot := range rs {
		x.adopt(int32(slot))
	}
}

// adopt registers the record already in slot; if its ID is taken, it
// replaces the earlier record and frees its own slot.
func (x *Index) adopt(slot int32) {
	r, h := x.recs[slot], x.hot[slot]
	if old, ok := x.byID[r.ID]; ok {
		x.store(old, r, h)
		x.recs[slot], x.hot[slot] = rec{}, hot{}
		x.free = append(x.free, slot)
		return
	}
	x.byID[r.ID] = slot
	x.store(slot, r, h)
}

// alloc returns a free slot for a new entry with the given ID.
func (x *Index) alloc(id string) int32 {
	var slot int32
	if n := len(x.free); n > 0 {
		slot, x.free = x.free[n-1], x.free[:n-1]
	} else {
		slot = int32(len(x.recs))
		x.recs = append(x.recs, rec{})
		x.hot = append(x.hot, hot{})
	}
	x.byID[id] = slot
	return slot
}

// store puts r and h in slot, coding the coded fields.
func (x *Index) store(slot int32, r rec, h hot) {
	for f := range h.codes {
		h.codes[f] = x.dicts[f].code(r.field(f))
	}
	h.live = true
	x.recs[slot], x.hot[slot] = r, h
}

// Remove deletes the entry with the given ID, if any.
func (x *Index) Remove(id string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	slot, ok := x.byID[id]
	if !ok {
		return
	}
	x.unorder(slot, allOrders)
	delete(x.byID, id)
	x.recs[slot], x.hot[slot] = rec{}, hot{}
	x.free = append(x.free, slot)
}

// Get returns the entry with the given ID.
func (x *Index) Get(id string) (Entry, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	slot, ok := x.byID[id]
	if !ok {
		return Entry{}, false
	}
	return x.recs[slot].Entry, true
}

// Len returns the number of entries.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.byID)
}

// Search returns the page of entries matching q, in the order it asks for.
//
// It first marks the matching slots walking the entries in memory order,
// then walks the sorted order to count the marks and copy out the page, so
// the scattered accesses of the sorted walk touch only a bitset.
func (x *Index) Search(q Query) Result {
	m := newMatcher(q.Text)
	k := q.Sort
	if k < 0 || k >= numSortKeys {
		k = SortName
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	f := x.newFilter(&q)
	marks := x.mark(&f, &m)
	o := x.orders[k]
	p := newPager(q.Offset, q.Limit)
	for _, sp := range x.spans(k, o, q.Desc) {
		for i := sp.from; i != sp.to; i += sp.step {
			if slot := o[i]; marks == nil || marks[slot>>6]&(1<<(slot&63)) != 0 {
				p.add(&x.recs[slot].Entry)
			}
		}
	}
	return p.res
}

// mark returns a bitset of the slots that pass f and m, or nil when every
// entry passes.
func (x *Index) mark(f *filter, m *matcher) []uint64 {
	if f.any() && m.q == "" {
		return nil
	}
	marks := make([]uint64, (len(x.hot)+63)/64)
	for slot := range x.hot {
		if x.pass(f, m, slot) {
			marks[slot>>6] |= 1 << (slot & 63)
		}
	}
	return marks
}

// pass reports whether the entry in slot satisfies the filters and the text.
func (x *Index) pass(f *filter, m *matcher, slot int) bool {
	h := &x.hot[slot]
	if !f.pass(h) {
		return false
	}
	r := &x.recs[slot]
	return m.match(r, h) && (f.allowed == nil || f.allowed(r.ID))
}

// filter is the exact filters of a Query, coded with the index dictionaries.
type filter struct {
	codes   [numFields]uint32 // 0 = any
	alerts  bool
	allowed func(id string) bool
}

func (x *Index) newFilter(q *Query) filter {
	f := filter{alerts: q.OnlyAlerts, allowed: q.Allowed}
	e := Entry{Village: q.Village, Status: q.Status, MeasureType: q.MeasureType, Risk: q.Risk}
	for i := range f.codes {
		f.codes[i] = x.dicts[i].lookup(e.field(i))
	}
	return f
}

// any reports whether the filter lets every entry through.
func (f *filter) any() bool {
	return f.codes == [numFields]uint32{} && !f.alerts && f.allowed == nil
}

func (f *filter) pass(h *hot) bool {
	if !h.live || f.alerts && !h.alert {
		return false
	}
	for i, c := range f.codes {
		if c != 0 && c != h.codes[i] {
			return false
		}
	}
	return true
}

// pager counts matches and keeps those on the requested page.
type pager struct {
	from, to int
	res      Result
}

func newPager(offset, limit int) pager {
	from := max(offset, 0)
	to := math.MaxInt
	if limit > 0 && from <= math.MaxInt-limit {
		to = from + limit
	}
	p := pager{from: from, to: to}
	if limit > 0 {
		p.res.Entries = make([]Entry, 0, min(limit, 1024))
	}
	return p
}

func (p *pager) add(e *Entry) {
	if p.res.Total >= p.from && p.res.Total < p.to {
		p.res.Entries = append(p.res.Entries, *e)
	}
	p.res.Total++
}
