package ledger

import (
	"context"
	"testing"
	"time"

	"rehabdesk/store"
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
		im := benchImporter(b, s, data)
		items := im.feed.batch(0, len(im.feed.rows))
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

// BenchmarkWriteStaged measures the writer's side of importing a row:
// inserting staged rows and committing, in batches of DefaultBatch, into
// an empty database, the search index updated once at the end as an
// import does; the rows are parsed and staged before the timer starts.
//
//	go test -run '^$' -bench WriteStaged -count 6 ./store/ledger/
func BenchmarkWriteStaged(b *testing.B) {
	const rows = 20_000
	data := generated(b, rows, 1)
	written := 0
	for b.Loop() {
		b.StopTimer()
		s := newStore(b)
		im := benchImporter(b, s, data)
		var batches []*batch
		for lo := 0; lo < rows; lo += DefaultBatch {
			batches = append(batches, im.stageBatch(im.feed.batch(lo, min(lo+DefaultBatch, rows))))
		}
		var err error
		if im.mark, err = s.ChangeMark(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if im.hold, err = s.HoldIndex(); err != nil {
			b.Fatal(err)
		}
		if im.bulk, err = s.BeginBulk(context.Background()); err != nil {
			b.Fatal(err)
		}
		for _, bt := range batches {
			if err := im.writeBatch(context.Background(), bt); err != nil {
				b.Fatal(err)
			}
		}
		im.hold.Release(context.Background())
		if err := im.bulk.Close(); err != nil {
			b.Fatal(err)
		}
		written += im.rep.New
	}
	if written != rows*b.N {
		b.Fatalf("wrote %d rows of %d", written, rows*b.N)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(written), "ns/row")
}

// benchImporter is an import of data into s with its rows not yet parsed,
// and no person stored before it.
func benchImporter(b *testing.B, s *store.Store, data []byte) *importer {
	b.Helper()
	t, err := readTable(data)
	if err != nil {
		b.Fatal(err)
	}
	l, _ := findHeader(t.rows)
	im := &importer{s: s, l: l, rep: &Report{}, known: map[string]*personState{}}
	im.feed = newFeed(t, l, newParser(l, s.Today(), newVillageMap(s.Township())))
	return im
}
