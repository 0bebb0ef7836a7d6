package report

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
	"rehabdesk/store/rules"
)

// benchPersons is the size of the stored township the end-to-end
// benchmarks build: large enough to show per-record costs, small enough to
// build in seconds (100,000 persons is 50 times this).
const benchPersons = 2000

// benchStore builds a township of benchPersons persons, each with a
// measure, a year of monthly tests and visits and two risk assessments:
// 27 records and as many changes a person.
func benchStore(b *testing.B) *store.Store {
	b.Helper()
	ctx := context.Background()
	s, err := store.Create(ctx, filepath.Join(b.TempDir(), "b.db"), "520102016", "officer", "secret-pass",
		store.Options{KDF: storetest.FastKDF})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	for from := 0; from < benchPersons; from += 200 {
		if err := s.Update(ctx, func(tx *store.Tx) error { return addBenchPersons(tx, from, 200) }); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

func addBenchPersons(tx *store.Tx, from, n int) error {
	for i := from; i < from+n; i++ {
		p, err := tx.Put(store.KindPerson, "", map[string]string{"name": "张三", "village": "520102016001",
			"id_number": withCheck(fmt.Sprintf("52010219%02d%02d%02d%03d", 70+i%30, 1+i%12, 1+i%28, i%1000)), "risk": "low", "employment": "self"})
		if err != nil {
			return err
		}
		if _, err := tx.Put(store.KindMeasure, "", map[string]string{"person": p, "type": "detox", "report_in_date": "2025-11-05"}); err != nil {
			return err
		}
		for m := range 12 {
			day := fmt.Sprintf("2025-%02d-%02d", 1+m, 1+i%28)
			if _, err := tx.Put(store.KindDrugTest, "", map[string]string{"person": p, "date": day, "sample": "urine", "result": "negative"}); err != nil {
				return err
			}
			if _, err := tx.Put(store.KindVisit, "", map[string]string{"person": p, "date": day, "visitor_kind": "staff", "mode": "home"}); err != nil {
				return err
			}
		}
		for _, day := range []string{"2025-03-01", "2025-09-01"} {
			if _, err := tx.Put(store.KindRisk, "", map[string]string{"person": p, "date": day, "level": "low"}); err != nil {
				return err
			}
		}
	}
	return nil
}

func withCheck(body string) string {
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range body {
		sum += int(c-'0') * w[i]
	}
	return body + string("10X98765432"[sum%11])
}

// BenchmarkAlertsFromStore2k is `rehabdesk alerts` without printing: read
// and decrypt every record, build, evaluate.
func BenchmarkAlertsFromStore2k(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	cpu0 := cpuTime()
	for b.Loop() {
		d, th, err := rules.Load(ctx, s)
		if err != nil {
			b.Fatal(err)
		}
		rules.Evaluate(d, rules.ParseDay("2026-11-29"), th)
	}
	reportCPU(b, cpu0)
}

// reportCPU adds CPU time per operation over all threads: on a shared,
// loaded machine wall time mostly measures the other processes.
func reportCPU(b *testing.B, cpu0 time.Duration) {
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
}

// BenchmarkGenerate2k is `rehabdesk report` without the workbook: replay
// the change log to the month end, build, count.
func BenchmarkGenerate2k(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	m := Month{Year: time.Now().Year(), Month: time.Now().Month()}
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := Generate(ctx, s, m); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu0)
}
