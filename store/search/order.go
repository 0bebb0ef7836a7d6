package search

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
)

// sortFields maps the sort keys that order by a coded field to it.
var sortFields = [numSortKeys]int{SortName: -1, SortIDNumber: -1, SortVillage: fieldVillage,
	SortStatus: fieldStatus, SortRisk: fieldRisk, SortUpdated: -1, SortEndDate: fieldEnd}

// compareRecs is the total order of key k: entries with a key first, then
// by the key, then by ID.
func compareRecs(k SortKey, a, b *rec) int {
	if c := compareKeys(k, a, b); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

func compareKeys(k SortKey, a, b *rec) int {
	if k == SortUpdated {
		return cmp.Compare(a.Updated, b.Updated)
	}
	va, vb := sortValue(k, a), sortValue(k, b)
	if (va == "") != (vb == "") {
		if va == "" {
			return 1
		}
		return -1
	}
	if k == SortName {
		return cmp.Or(strings.Compare(a.nameKey, b.nameKey), strings.Compare(va, vb))
	}
	return compareValues(k, va, vb)
}

// sortValue returns the value k orders by; "" means the key is missing.
func sortValue(k SortKey, r *rec) string {
	switch k {
	case SortName:
		return r.Name
	case SortIDNumber:
		return r.IDNumber
	case SortUpdated:
		return "never empty"
	}
	return r.field(sortFields[k])
}

// compareValues orders two values of a coded field.
func compareValues(k SortKey, a, b string) int {
	if k == SortRisk {
		return cmp.Or(cmp.Compare(riskRank(a), riskRank(b)), strings.Compare(a, b))
	}
	return strings.Compare(a, b)
}

// riskRank orders risk levels from low to high; unknown codes come first.
func riskRank(risk string) int {
	switch risk {
	case "low":
		return 1
	case "medium":
		return 2
	case "high":
		return 3
	}
	return 0
}

// rebuildOrders sorts every order from scratch. The live slots are sorted
// by ID once; every other order breaks its ties by that rank, an integer,
// and the orders of the coded fields (a few distinct values each) are then
// a counting sort of the ID order, linear instead of n log n string
// comparisons. The orders are built in parallel.
func (x *Index) rebuildOrders() {
	byID := x.idOrder()
	idRank := make([]uint32, len(x.recs))
	for i, slot := range byID {
		idRank[slot] = uint32(i)
	}
	var wg sync.WaitGroup
	for k := range numSortKeys {
		wg.Go(func() { x.orders[k] = x.buildOrder(k, byID, idRank) })
	}
	wg.Wait()
}

// sortItem is a slot with the leading words of its sort key, so that most
// comparisons while sorting are integer comparisons on contiguous memory.
type sortItem struct {
	a, b uint64
	slot int32
}

// idOrder returns the live slots sorted by ID, comparing 24 bytes of the
// IDs as integers (UUIDs made in the same millisecond share 13 leading
// characters).
func (x *Index) idOrder() []int32 {
	type idItem struct {
		a, b, c uint64
		slot    int32
	}
	items := make([]idItem, 0, len(x.byID))
	for slot := range x.hot {
		if x.hot[slot].live {
			id := x.recs[slot].ID
			items = append(items, idItem{word(id), word(id[min(8, len(id)):]), word(id[min(16, len(id)):]), int32(slot)})
		}
	}
	slices.SortFunc(items, func(p, q idItem) int {
		switch {
		case p.a != q.a:
			return cmp.Compare(p.a, q.a)
		case p.b != q.b:
			return cmp.Compare(p.b, q.b)
		case p.c != q.c:
			return cmp.Compare(p.c, q.c)
		}
		return strings.Compare(x.recs[p.slot].ID, x.recs[q.slot].ID)
	})
	o := make([]int32, len(items))
	for i := range items {
		o[i] = items[i].slot
	}
	return o
}

// buildOrder returns the live slots sorted by k, given them sorted by ID
// and the rank of each slot in that order.
func (x *Index) buildOrder(k SortKey, byID []int32, idRank []uint32) []int32 {
	if k == SortUpdated {
		items := make([]sortItem, len(byID))
		for i, slot := range byID {
			items[i] = sortItem{uint64(x.recs[slot].Updated) ^ 1<<63, uint64(i), slot}
		}
		slices.SortFunc(items, func(p, q sortItem) int {
			return cmp.Or(cmp.Compare(p.a, q.a), cmp.Compare(p.b, q.b))
		})
		return slotsOf(items)
	}
	if ranks := x.ranks(k); ranks != nil {
		return x.countingOrder(k, byID, ranks)
	}
	items := make([]sortItem, len(byID))
	for i, slot := range byID {
		a, b := x.words(k, slot, nil)
		items[i] = sortItem{a, b, slot}
	}
	slices.SortFunc(items, func(p, q sortItem) int {
		if p.a != q.a {
			return cmp.Compare(p.a, q.a)
		}
		if p.b != q.b {
			return cmp.Compare(p.b, q.b)
		}
		if c := compareKeys(k, &x.recs[p.slot], &x.recs[q.slot]); c != 0 {
			return c
		}
		return cmp.Compare(idRank[p.slot], idRank[q.slot])
	})
	return slotsOf(items)
}

// countingOrder orders the slots by the rank of a coded field ("" last),
// keeping the ID order within a rank.
func (x *Index) countingOrder(k SortKey, byID []int32, ranks []uint64) []int32 {
	f := sortFields[k]
	// bucket of each code: its rank, and the last bucket for code 0 ("").
	bucket := make([]int, len(ranks))
	for c, r := range ranks {
		if c == 0 {
			bucket[c] = len(ranks) - 1
		} else {
			bucket[c] = int(r)
		}
	}
	// The buckets by slot, read in memory order: looking them up in the
	// large hot records in ID order would miss the cache at every slot.
	bySlot := make([]int32, len(x.hot))
	start := make([]int, len(ranks)+1)
	for slot := range x.hot {
		if x.hot[slot].live {
			b := bucket[x.hot[slot].codes[f]]
			bySlot[slot] = int32(b)
			start[b+1]++
		}
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	o := make([]int32, len(byID))
	for _, slot := range byID {
		b := bySlot[slot]
		o[start[b]] = slot
		start[b]++
	}
	return o
}

func slotsOf(items []sortItem) []int32 {
	o := make([]int32, len(items))
	for i := range items {
		o[i] = items[i].slot
	}
	return o
}

// words returns two words whose order agrees with compareRecs whenever they
// differ: the rank of a coded field or the time and the start of the ID,
// or the first 16 bytes of the key.
func (x *Index) words(k SortKey, slot int32, ranks []uint64) (uint64, uint64) {
	r := &x.recs[slot]
	switch {
	case k == SortUpdated:
		return uint64(r.Updated) ^ 1<<63, word(r.ID)
	case ranks != nil:
		return ranks[x.hot[slot].codes[sortFields[k]]], word(r.ID)
	case sortValue(k, r) == "":
		return math.MaxUint64, math.MaxUint64
	case k == SortName:
		return word(r.nameKey), word(r.nameKey[min(8, len(r.nameKey)):])
	}
	return word(r.IDNumber), word(r.IDNumber[min(8, len(r.IDNumber)):])
}

// word packs the first 8 bytes of s big-endian, zero-padded.
func word(s string) uint64 {
	var w uint64
	for i := range 8 {
		w <<= 8
		if i < len(s) {
			w |= uint64(s[i])
		}
	}
	return w
}

// ranks returns, for a key that orders by a coded field, the rank of each
// code in the order of its values, with "" last; nil for other keys.
func (x *Index) ranks(k SortKey) []uint64 {
	if sortFields[k] < 0 {
		return nil
	}
	values := x.dicts[sortFields[k]].values
	codes := make([]int, len(values))
	for i := range codes {
		codes[i] = i + 1
	}
	slices.SortFunc(codes, func(a, b int) int { return compareValues(k, values[a-1], values[b-1]) })
	ranks := make([]uint64, len(values)+1)
	ranks[0] = math.MaxUint64
	for i, c := range codes {
		ranks[c] = uint64(i)
	}
	return ranks
}

// find returns the position of slot's entry in o, or where it belongs.
func (x *Index) find(k SortKey, o []int32, slot int32) (int, bool) {
	r := &x.recs[slot]
	return slices.BinarySearchFunc(o, r, func(s int32, r *rec) int {
		return compareRecs(k, &x.recs[s], r)
	})
}

// unorder removes slot from the orders in m.
func (x *Index) unorder(slot int32, m orderSet) {
	for k, o := range x.orders {
		if !m.has(SortKey(k)) {
			continue
		}
		if i, ok := x.find(SortKey(k), o, slot); ok {
			x.orders[k] = slices.Delete(o, i, i+1)
		}
	}
}

// reorder inserts slot into the orders in m.
func (x *Index) reorder(slot int32, m orderSet) {
	for k, o := range x.orders {
		if !m.has(SortKey(k)) {
			continue
		}
		i, _ := x.find(SortKey(k), o, slot)
		x.orders[k] = slices.Insert(o, i, slot)
	}
}

// span is a range of positions in an order, walked by step.
type span struct{ from, to, step int }

// spans returns how to walk order o of key k: ascending as it is, or
// descending over the entries with a key followed by the empty ones.
func (x *Index) spans(k SortKey, o []int32, desc bool) [2]span {
	if !desc {
		return [2]span{{0, len(o), 1}, {}}
	}
	e := sort.Search(len(o), func(i int) bool { return sortValue(k, &x.recs[o[i]]) == "" })
	return [2]span{{e - 1, -1, -1}, {e, len(o), 1}}
}

// merge stores a batch of records and merges them into every order: the
// replaced entries leave the orders in one pass, the batch is sorted by
// each key and its entries are inserted at positions found by binary
// search, so an order is copied once instead of re-sorted. A replaced entry
// whose key of an order is unchanged keeps its place in that order, and an
// order no entry moves in is left as it is: a page of one-field edits
// changes the time of every entry but rarely anything else.
func (x *Index) merge(rs []rec, hs []hot) {
	var added []int32
	var replaced []replacedSlot
	seen := make(map[int32]bool, len(rs))
	for i := range rs {
		slot, ok := x.byID[rs[i].ID]
		switch {
		case !ok:
			slot = x.alloc(rs[i].ID)
			added = append(added, slot)
		case !seen[slot]:
			replaced = append(replaced, replacedSlot{slot: slot, old: x.recs[slot]})
		}
		seen[slot] = true
		x.store(slot, rs[i], hs[i])
	}
	for i := range replaced {
		replaced[i].moved = keysChanged(&replaced[i].old, &x.recs[replaced[i].slot])
	}
	var wg sync.WaitGroup
	for k := range numSortKeys {
		gone, batch := x.movedIn(k, replaced, added)
		if len(batch) == 0 {
			continue
		}
		wg.Go(func() { x.orders[k] = x.mergeOrder(k, x.orders[k], gone, batch) })
	}
	wg.Wait()
}

// replacedSlot is an entry a batch replaces: its slot, the record the
// orders still place it by, and the orders in which it moves.
type replacedSlot struct {
	slot  int32
	old   rec
	moved orderSet
}

// movedIn returns the slots that leave order k (as a bitset, nil if none)
// and those to insert into it: the added ones and the replaced ones that
// move in it.
func (x *Index) movedIn(k SortKey, replaced []replacedSlot, added []int32) ([]uint64, []int32) {
	var gone []uint64
	batch := slices.Clone(added)
	for _, r := range replaced {
		if !r.moved.has(k) {
			continue
		}
		if gone == nil {
			gone = make([]uint64, (len(x.recs)+63)/64)
		}
		gone[r.slot>>6] |= 1 << (r.slot & 63)
		batch = append(batch, r.slot)
	}
	return gone, batch
}

// mergeOrder returns order o of key k without the slots in gone and with
// the slots of batch, which o does not hold, in their places.
func (x *Index) mergeOrder(k SortKey, o []int32, gone []uint64, batch []int32) []int32 {
	ranks := x.ranks(k)
	items := make([]sortItem, len(batch))
	for i, slot := range batch {
		a, b := x.words(k, slot, ranks)
		items[i] = sortItem{a, b, slot}
	}
	slices.SortFunc(items, func(p, q sortItem) int {
		if p.a != q.a {
			return cmp.Compare(p.a, q.a)
		}
		if p.b != q.b {
			return cmp.Compare(p.b, q.b)
		}
		return compareRecs(k, &x.recs[p.slot], &x.recs[q.slot])
	})
	if gone != nil {
		kept := make([]int32, 0, len(o))
		for _, s := range o {
			if gone[s>>6]&(1<<(s&63)) == 0 {
				kept = append(kept, s)
			}
		}
		o = kept
	}
	out := make([]int32, 0, len(o)+len(items))
	pos := 0
	for _, it := range items {
		r := &x.recs[it.slot]
		i, _ := slices.BinarySearchFunc(o[pos:], r, func(s int32, r *rec) int {
			return compareRecs(k, &x.recs[s], r)
		})
		out = append(out, o[pos:pos+i]...)
		out = append(out, it.slot)
		pos += i
	}
	return append(out, o[pos:]...)
}
