package search

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// pagingQueries cover text kinds and filters on the synthetic set.
var pagingQueries = []Query{
	{},
	{Text: "z"},
	{Text: "zhj"},
	{Text: "明"},
	{Text: "19"},
	{Village: "520102003003", OnlyAlerts: true},
	{Risk: "high", Status: "active"},
}

func TestPagingStableAndComplete(t *testing.T) {
	x := New()
	x.PutAll(synth(3000, 7))
	for _, base := range pagingQueries {
		for k := range numSortKeys {
			for _, desc := range []bool{false, true} {
				q := base
				q.Sort, q.Desc = k, desc
				checkPages(t, x, q, 97)
			}
		}
	}
}

// checkPages asserts that pages of size n concatenate to the unpaged result
// and that it holds every match once.
func checkPages(t *testing.T, x *Index, q Query, n int) {
	t.Helper()
	all := x.Search(q)
	var got []string
	for q.Offset, q.Limit = 0, n; q.Offset < all.Total+n; q.Offset += n {
		r := x.Search(q)
		if r.Total != all.Total {
			t.Fatalf("%+v: total %d, unpaged %d", q, r.Total, all.Total)
		}
		got = append(got, ids(r)...)
	}
	if !slices.Equal(got, ids(all)) || len(got) != all.Total {
		t.Fatalf("%+v: pages differ from the unpaged result", q)
	}
	if len(slices.Compact(slices.Sorted(slices.Values(got)))) != len(got) {
		t.Fatalf("%+v: an entry appears twice", q)
	}
}

func TestSearchAgainstBruteForce(t *testing.T) {
	es := synth(3000, 11)
	x := New()
	x.PutAll(es)
	tests := []struct {
		q    Query
		want func(e Entry) bool
	}{
		{Query{Text: "0101"}, func(e Entry) bool { return strings.Contains(e.IDNumber, "0101") }},
		{Query{Text: "3x"}, func(e Entry) bool { return strings.HasSuffix(e.IDNumber, "3X") }},
		{Query{Text: "建国"}, func(e Entry) bool { return strings.Contains(e.Name, "建国") }},
		{Query{Text: "王"}, func(e Entry) bool { return strings.Contains(e.Name, "王") }},
		{Query{Village: "520102003005", Risk: "low"}, func(e Entry) bool {
			return e.Village == "520102003005" && e.Risk == "low"
		}},
		{Query{OnlyAlerts: true, MeasureType: "detox"}, func(e Entry) bool { return e.HasAlert && e.MeasureType == "detox" }},
	}
	for _, tt := range tests {
		var want []string
		for _, e := range es {
			if tt.want(e) {
				want = append(want, e.ID)
			}
		}
		slices.Sort(want)
		if got := sortedIDs(x.Search(tt.q)); !slices.Equal(got, want) {
			t.Errorf("%+v: %d matches, want %d", tt.q, len(got), len(want))
		}
	}
}

func TestSortOrderAgainstReference(t *testing.T) {
	es := synth(2000, 3)
	x := New()
	x.PutAll(es)
	byUpdated := func(a, b Entry) int { return cmp.Or(cmp.Compare(a.Updated, b.Updated), strings.Compare(a.ID, b.ID)) }
	byEnd := func(a, b Entry) int {
		if (a.EndDate == "") != (b.EndDate == "") {
			return cmp.Compare(len(b.EndDate), len(a.EndDate))
		}
		return cmp.Or(strings.Compare(a.EndDate, b.EndDate), strings.Compare(a.ID, b.ID))
	}
	for k, ref := range map[SortKey]func(a, b Entry) int{SortUpdated: byUpdated, SortEndDate: byEnd} {
		want := slices.SortedFunc(slices.Values(es), ref)
		if got := x.Search(Query{Sort: k}).Entries; !slices.Equal(got, want) {
			t.Errorf("sort %d differs from the reference order", k)
		}
	}
}

// TestIncrementalOrders checks that orders kept up to date through Put and
// Remove equal orders built from scratch.
func TestIncrementalOrders(t *testing.T) {
	es := synth(800, 5)
	extra := synth(300, 6)
	x := New()
	x.PutAll(es)
	for k := range numSortKeys {
		x.Search(Query{Sort: k})
	}
	live := make(map[string]Entry)
	for _, e := range es {
		live[e.ID] = e
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 600 {
		applyRandomOp(x, live, es, extra[i%len(extra)], rng)
	}
	fresh := New()
	fresh.PutAll(slices.Collect(mapValues(live)))
	for k := range numSortKeys {
		for _, desc := range []bool{false, true} {
			q := Query{Sort: k, Desc: desc}
			if a, b := ids(x.Search(q)), ids(fresh.Search(q)); !slices.Equal(a, b) {
				t.Errorf("sort %d desc %v: maintained order differs from rebuilt", k, desc)
			}
		}
	}
}

// applyRandomOp removes, replaces or adds an entry in x and in live.
func applyRandomOp(x *Index, live map[string]Entry, es []Entry, e Entry, rng *rand.Rand) {
	old := es[rng.IntN(len(es))]
	switch rng.IntN(3) {
	case 0:
		x.Remove(old.ID)
		delete(live, old.ID)
	case 1:
		e.ID = old.ID
		x.Put(e)
		live[e.ID] = e
	default:
		x.Put(e)
		live[e.ID] = e
	}
}

func mapValues(m map[string]Entry) func(func(Entry) bool) {
	return func(yield func(Entry) bool) {
		for _, e := range m {
			if !yield(e) {
				return
			}
		}
	}
}

// TestSingleLetterShortcut checks that deciding one-letter queries by the
// initials mask agrees with full unit matching.
func TestSingleLetterShortcut(t *testing.T) {
	es := append(synth(1000, 13), fixture...)
	x := New()
	x.PutAll(es)
	var a analyzer
	for c := byte('a'); c <= 'z'; c++ {
		want := 0
		for _, e := range es {
			_, h := newRec(e, &a)
			if matchUnits(h.units, string(c)) {
				want++
			}
		}
		if got := x.Search(Query{Text: string(c)}).Total; got != want {
			t.Errorf("%c: %d matches, want %d", c, got, want)
		}
	}
}

// TestPutAllMergesBatches checks that batches merged into a larger index
// (new entries, replaced ones, duplicates within a batch, after removals)
// give the orders a rebuild from scratch gives.
func TestPutAllMergesBatches(t *testing.T) {
	checkMergedBatches(t, synth(3000, 8))
}

// TestPutAllMergesBatchesOfSameMinuteIDs is TestPutAllMergesBatches with
// the IDs of persons created in one import: UUIDv7s sharing their first 13
// to 22 characters, in no particular order, plus IDs that are prefixes of
// the others, so that the integer comparisons of a merge tie and must
// agree with the string order.
func TestPutAllMergesBatchesOfSameMinuteIDs(t *testing.T) {
	es := synth(3000, 9)
	rng := rand.New(rand.NewPCG(9, 9))
	for i := range es {
		es[i].ID = fmt.Sprintf("019ad3f2-1c%02x-7%03x-%04x-%012x", rng.IntN(3), rng.IntN(40), 0x8000|i&31, i)
	}
	es[10].ID, es[1500].ID, es[2999].ID = "019ad3f2", "019ad3f2-1c4e-7", "0"
	rand.New(rand.NewPCG(7, 7)).Shuffle(len(es), func(i, j int) { es[i], es[j] = es[j], es[i] })
	checkMergedBatches(t, es)
}

// checkMergedBatches puts es into an index in batches (1000, then 250 at a
// time with replacements, a duplicate and removals) and compares every
// order with those of an index built at once.
func checkMergedBatches(t *testing.T, es []Entry) {
	t.Helper()
	x := New()
	x.PutAll(es[:1000])
	live := make(map[string]Entry)
	for _, e := range es[:1000] {
		live[e.ID] = e
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for lo := 1000; lo < len(es); lo += 250 {
		batch := slices.Clone(es[lo : lo+250])
		for i := range 40 { // replace entries already in the index
			old := es[rng.IntN(lo)]
			batch[i].ID = old.ID
		}
		batch = append(batch, batch[rng.IntN(len(batch))]) // a duplicate: the later wins
		batch[len(batch)-1].Name = "王重复"
		for range 20 {
			old := es[rng.IntN(lo)]
			x.Remove(old.ID)
			delete(live, old.ID)
		}
		x.PutAll(batch)
		for _, e := range batch {
			live[e.ID] = e
		}
	}
	fresh := New()
	fresh.PutAll(slices.Collect(mapValues(live)))
	if x.Len() != fresh.Len() {
		t.Fatalf("len %d, want %d", x.Len(), fresh.Len())
	}
	for k := range numSortKeys {
		for _, desc := range []bool{false, true} {
			q := Query{Sort: k, Desc: desc}
			if a, b := x.Search(q).Entries, fresh.Search(q).Entries; !slices.Equal(a, b) {
				t.Errorf("sort %d desc %v: merged order differs from rebuilt", k, desc)
			}
		}
	}
}

// TestPutAllEditsKeepOrders checks the orders after batches of edits that
// mostly leave the sort keys alone (an entry replaced in place must still
// be where a rebuild puts it): one field changed per edit, sometimes a
// sort key, sometimes an edit undone later in the same batch, through
// PutAll (batches as large as the index included) and Put.
func TestPutAllEditsKeepOrders(t *testing.T) {
	es := synth(1500, 21)
	other := synth(1500, 22)
	x := New()
	x.PutAll(es)
	live := make(map[string]Entry, len(es))
	for _, e := range es {
		live[e.ID] = e
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for round, size := range []int{300, 1500, 2500, 40, 5, 900} {
		batch := make([]Entry, 0, size)
		for range size {
			e := live[es[rng.IntN(len(es))].ID]
			e = editOneField(e, other[rng.IntN(len(other))], rng)
			if rng.IntN(8) == 0 { // edited, then undone within the batch
				batch = append(batch, e)
				e = live[e.ID]
			}
			batch = append(batch, e)
			live[e.ID] = e
		}
		if round%2 == 1 {
			x.PutAll(batch)
		} else {
			for _, e := range batch {
				x.Put(e)
			}
		}
	}
	fresh := New()
	fresh.PutAll(slices.Collect(mapValues(live)))
	for k := range numSortKeys {
		for _, desc := range []bool{false, true} {
			q := Query{Sort: k, Desc: desc}
			if a, b := x.Search(q).Entries, fresh.Search(q).Entries; !slices.Equal(a, b) {
				t.Errorf("sort %d desc %v: order after edits differs from rebuilt", k, desc)
			}
		}
	}
}

// editOneField returns e with one field taken from o: a sort key
// (name, ID number, village, status, risk, time, end date) or not.
func editOneField(e, o Entry, rng *rand.Rand) Entry {
	switch rng.IntN(10) {
	case 0:
		e.Name = o.Name
	case 1:
		e.IDNumber = o.IDNumber
	case 2:
		e.Village = o.Village
	case 3:
		e.Status = o.Status
	case 4:
		e.Risk = o.Risk
	case 5:
		e.Updated = o.Updated
	case 6:
		e.EndDate = o.EndDate
	case 7:
		e.MeasureType = o.MeasureType
	default:
		e.HasAlert = !e.HasAlert
	}
	return e
}
