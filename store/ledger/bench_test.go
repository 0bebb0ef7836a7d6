package ledger

import (
	"context"
	"testing"
)

// benchPersons is the township size the goals are set for.
var benchPersons = 100_000 // a var so that a quick profiling run can lower it

// BenchmarkImport imports a generated ledger of 100,000 persons into an
// empty database; goal ≥ 20,000 persons/s.
func BenchmarkImport(b *testing.B) {
	data := generated(b, benchPersons, 1)
	for b.Loop() {
		b.StopTimer()
		s := newStore(b)
		b.StartTimer()
		rep, err := ImportBytes(context.Background(), s, data, Options{})
		if err != nil || rep.New != benchPersons {
			b.Fatalf("import: %v %+v", err, rep)
		}
	}
	b.ReportMetric(float64(benchPersons)*float64(b.N)/b.Elapsed().Seconds(), "persons/s")
}
