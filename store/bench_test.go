package store_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"rehabdesk/internal/ledgertest"
	"rehabdesk/internal/storetest"
	"rehabdesk/store"
	"rehabdesk/store/ledger"
	"rehabdesk/store/search"
)

// townshipSize is the number of persons the performance goals are set for.
const townshipSize = 100_000

// BenchmarkPersons100k imports a generated ledger of 100,000 persons (goal
// ≥ 20,000 persons/s) and then measures, on that database, the searches an
// officer types and one page of the people list (goal ≤ 10 ms each):
//
//	go test -run '^$' -bench Persons100k -benchtime=1x ./store/
func BenchmarkPersons100k(b *testing.B) {
	var data bytes.Buffer
	if err := ledgertest.Generate(&data, townshipSize, 1); err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	var s *store.Store
	b.Cleanup(func() {
		if s != nil {
			s.Close()
		}
	})
	b.Run("Import", func(b *testing.B) {
		var cpu time.Duration
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			if s != nil {
				s.Close()
			}
			s = create(b, filepath.Join(dir, fmt.Sprintf("import%d.db", i)))
			b.StartTimer()
			cpu0 := cpuTime()
			rep, err := ledger.ImportBytes(context.Background(), s, data.Bytes(), ledger.Options{})
			cpu += cpuTime() - cpu0
			if err != nil || rep.New != townshipSize {
				b.Fatalf("import: %v, %d new", err, rep.New)
			}
		}
		b.ReportMetric(float64(townshipSize)*float64(b.N)/b.Elapsed().Seconds(), "persons/s")
		if cpu > 0 { // on a busy shared machine CPU time says more than the wall clock
			b.ReportMetric(float64(townshipSize)*float64(b.N)/cpu.Seconds(), "persons/cpu-s")
		}
	})
	if s == nil {
		b.Skip("the searches need the imported database: include Import in -bench")
	}
	for _, c := range []struct {
		name string
		q    search.Query
	}{
		{"SearchName", search.Query{Text: "张建", Limit: 50}},
		{"SearchInitials", search.Query{Text: "zjg", Limit: 50}},
		{"SearchFullPinyin", search.Query{Text: "zhangjian", Limit: 50}},
		{"SearchIDFragment", search.Query{Text: "0312", Limit: 50}},
		{"PageFirst", search.Query{Limit: 50}},
		{"PageLast", search.Query{Offset: townshipSize - 50, Limit: 50}},
		{"PageHighRiskByEnd", search.Query{Risk: "high", Sort: search.SortEndDate, Limit: 50}},
	} {
		b.Run(c.name, func(b *testing.B) { benchSearch(b, s, c.q) })
	}
}

func benchSearch(b *testing.B, s *store.Store, q search.Query) {
	b.ReportAllocs()
	var res search.Result
	cpu0 := cpuTime()
	for b.Loop() {
		res = s.Search(q)
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(res.Total), "matches")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/op")
	// A search runs on one goroutine, so its CPU time is what an idle
	// machine would take; wall time on a busy shared one is much longer.
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Microseconds())/float64(b.N)/1000, "cpu-ms/op")
	}
}

func create(b *testing.B, path string) *store.Store {
	b.Helper()
	s, err := store.Create(context.Background(), path, "520102016", "officer", "secret-pass",
		store.Options{KDF: storetest.FastKDF})
	if err != nil {
		b.Fatal(err)
	}
	return s
}
