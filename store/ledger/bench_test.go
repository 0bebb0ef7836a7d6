package ledger

import (
	"context"
	"testing"
	"time"
)

// benchPersons is the township size the goals are set for; a var so that a
// quick profiling run can lower it.
var benchPersons = 100_000

// BenchmarkImport imports a generated ledger of 100,000 persons into an
// empty database; goal ≥ 20,000 persons/s.
//
//	go test -run '^$' -bench Import -benchtime=1x ./store/ledger/
func BenchmarkImport(b *testing.B) {
	data := generated(b, benchPersons, 1)
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		s := newStore(b)
		b.StartTimer()
		cpu0 := cpuTime()
		rep, err := ImportBytes(context.Background(), s, data, Options{})
		cpu += cpuTime() - cpu0
		if err != nil || rep.New != benchPersons {
			b.Fatalf("import: %v %+v", err, rep)
		}
	}
	reportRate(b, benchPersons*b.N, cpu)
}

// reportRate reports persons/s and, because benchmarks often share a busy
// machine, persons per CPU-second of this process.
func reportRate(b *testing.B, persons int, cpu time.Duration) {
	b.ReportMetric(float64(persons)/b.Elapsed().Seconds(), "persons/s")
	if cpu > 0 {
		b.ReportMetric(float64(persons)/cpu.Seconds(), "persons/cpu-s")
	}
}

// BenchmarkStage measures the Go side of importing a row (rules, encoding,
// sealing; stageRow) on one goroutine, without SQLite: steadier than
// BenchmarkImport on a shared machine, for changes to that side alone.
//
//	go test -run '^$' -bench Stage -count 6 ./store/ledger/
func BenchmarkStage(b *testing.B) {
	const rows = 10_000
	s := newStore(b)
	data := generated(b, rows, 1)
	staged := 0
	for b.Loop() {
		b.StopTimer()
		t, err := readTable(data)
		if err != nil {
			b.Fatal(err)
		}
		l, _ := findHeader(t.rows)
		im := &importer{s: s, l: l, rep: &Report{}, known: map[string]*personState{}}
		items := newFeed(t, l, newParser(l, s.Today(), newVillageMap(s.Township()))).batch(0, len(t.rows)-l.row-1)
		b.StartTimer()
		for _, it := range items {
			if im.stageRow(it) != nil {
				staged++
			}
		}
	}
	if staged != rows*b.N {
		b.Fatalf("staged %d rows of %d", staged, rows*b.N)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(staged), "ns/row")
}
