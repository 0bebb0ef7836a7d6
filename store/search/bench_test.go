package search

import (
	"sync"
	"testing"
)

const benchN = 100_000

var bench struct {
	once    sync.Once
	entries []Entry
	index   *Index
}

// benchIndex returns the shared 100,000-entry index with every order built,
// as it is after the first screens following unlock.
func benchIndex(b *testing.B) *Index {
	b.Helper()
	bench.once.Do(func() {
		bench.entries = synth(benchN, 1)
		bench.index = New()
		bench.index.PutAll(bench.entries)
		for k := range numSortKeys {
			bench.index.Search(Query{Sort: k, Limit: 1})
		}
	})
	return bench.index
}

func benchSearch(b *testing.B, q Query) {
	x := benchIndex(b)
	b.ReportAllocs()
	var total int
	for b.Loop() {
		total = x.Search(q).Total
	}
	b.ReportMetric(float64(total), "matches")
}

func BenchmarkSearchName(b *testing.B)     { benchSearch(b, Query{Text: "建国", Limit: 50}) }
func BenchmarkSearchSurname(b *testing.B)  { benchSearch(b, Query{Text: "张", Limit: 50}) }
func BenchmarkSearchInitials(b *testing.B) { benchSearch(b, Query{Text: "zjg", Limit: 50}) }
func BenchmarkSearchFullPinyin(b *testing.B) {
	benchSearch(b, Query{Text: "zhangjianguo", Limit: 50})
}
func BenchmarkSearchPinyinPrefix(b *testing.B) { benchSearch(b, Query{Text: "zhangj", Limit: 50}) }
func BenchmarkSearchOneLetter(b *testing.B)    { benchSearch(b, Query{Text: "z", Limit: 50}) }
func BenchmarkSearchMixed(b *testing.B)        { benchSearch(b, Query{Text: "张j", Limit: 50}) }
func BenchmarkSearchIDFragment(b *testing.B)   { benchSearch(b, Query{Text: "0101", Limit: 50}) }
func BenchmarkSearchIDLastFour(b *testing.B)   { benchSearch(b, Query{Text: "123x", Limit: 50}) }
func BenchmarkSearchAllFirstPage(b *testing.B) { benchSearch(b, Query{Limit: 50}) }
func BenchmarkSearchAllLastPage(b *testing.B) {
	benchSearch(b, Query{Offset: benchN - 50, Limit: 50})
}
func BenchmarkSearchAllLastPageDesc(b *testing.B) {
	benchSearch(b, Query{Sort: SortEndDate, Desc: true, Offset: benchN - 50, Limit: 50})
}
func BenchmarkSearchFiltered(b *testing.B) {
	benchSearch(b, Query{Village: "520102003003", Status: "active", Risk: "high", Sort: SortUpdated, Desc: true, Limit: 50})
}
func BenchmarkSearchFilteredText(b *testing.B) {
	benchSearch(b, Query{Text: "zh", Village: "520102003003", OnlyAlerts: true, Sort: SortRisk, Limit: 50})
}

func BenchmarkSearchAllowed(b *testing.B) {
	allowed := make(map[string]bool)
	for _, e := range synth(benchN, 1)[:2000] {
		allowed[e.ID] = true
	}
	benchSearch(b, Query{Text: "z", Allowed: func(id string) bool { return allowed[id] }, Limit: 50})
}

func BenchmarkPutAll100k(b *testing.B) {
	es := synth(benchN, 1)
	b.ReportAllocs()
	for b.Loop() {
		New().PutAll(es)
	}
}

// BenchmarkLoad100k is unlock to first screen: bulk load, then the first
// page sorted by name, which builds that order.
func BenchmarkLoad100k(b *testing.B) {
	es := synth(benchN, 1)
	b.ReportAllocs()
	for b.Loop() {
		x := New()
		x.PutAll(es)
		x.Search(Query{Limit: 50})
	}
}

func BenchmarkPut(b *testing.B) {
	x := benchIndex(b)
	e := bench.entries[0]
	b.ReportAllocs()
	for b.Loop() {
		x.Put(e)
	}
}
