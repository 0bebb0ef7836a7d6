package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"rehabdesk/store/search"
)

const benchPersons = 100_000

// benchStore creates a township of n persons, each with a measure, in one
// transaction, with the officer's key slot at the real DefaultKDF cost.
func benchStore(b *testing.B, n int) *Store {
	b.Helper()
	ctx := context.Background()
	s, err := Create(ctx, filepath.Join(b.TempDir(), "bench.db"), testTownship, "officer", "secret-pass", Options{KDF: DefaultKDF})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	start, cpu0 := time.Now(), cpuTime()
	err = s.Update(ctx, func(tx *Tx) error {
		for i := 0; i < n; i++ {
			if err := putBenchPerson(tx, i); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("created %d persons with measures in %v (%v CPU)", n, time.Since(start).Round(time.Millisecond), cpuTime()-cpu0)
	return s
}

var (
	benchSurnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗龙石吴杨潘")
	benchGiven    = []rune("国明华英芳军平伟秀兰建强丽敏静勇艳杰娟涛超霞磊燕")
)

func putBenchPerson(tx *Tx, i int) error {
	birth := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%20000)
	num := idWithCheck(fmt.Sprintf("520102%s%03d", birth.Format("20060102"), i/20000))
	name := string([]rune{benchSurnames[i%len(benchSurnames)], benchGiven[i/7%len(benchGiven)], benchGiven[i/3%len(benchGiven)]})
	p, err := tx.Put(KindPerson, "", map[string]string{"name": name, "id_number": num,
		"village": fmt.Sprintf("520102016%03d", i%20+1), "risk": []string{"low", "medium", "high"}[i%3]})
	if err != nil {
		return err
	}
	_, err = tx.Put(KindMeasure, "", map[string]string{"person": p, "type": "detox",
		"received_date": "2025-03-01", "start_date": "2025-03-05", "status": "active"})
	return err
}

// BenchmarkSecurity100k measures what a sign-in costs at 100,000 persons
// (argon2id at DefaultKDF, then decrypting every person and measure to
// build the search index) and what search and listing cost after it.
func BenchmarkSecurity100k(b *testing.B) {
	ctx := context.Background()
	s := benchStore(b, benchPersons)
	b.Run("kdf", func(b *testing.B) {
		salt := make([]byte, 16)
		for i := 0; i < b.N; i++ {
			kekAEAD("secret-pass", salt, DefaultKDF)
		}
	})
	b.Run("unlock+index", func(b *testing.B) {
		cpu0 := cpuTime()
		for i := 0; i < b.N; i++ {
			s.Lock()
			if err := s.Unlock(ctx, "officer", "secret-pass"); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
		b.ReportMetric(float64(s.Search(search.Query{Limit: 1}).Total), "persons")
	})
	queries := map[string]search.Query{
		"search-name":     {Text: "王国", Limit: 50},
		"search-initials": {Text: "wgm", Limit: 50},
		"search-pinyin":   {Text: "wangguo", Limit: 50},
		"search-id":       {Text: "19850", Limit: 50},
		"list-page":       {Limit: 50, Offset: 5000},
		"list-by-risk":    {Risk: "high", Sort: search.SortUpdated, Desc: true, Limit: 50},
	}
	for name, q := range queries {
		b.Run(name, func(b *testing.B) {
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				if s.Search(q).Total == 0 {
					b.Fatalf("%s found nothing", name)
				}
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
	id := s.Search(search.Query{Limit: 1}).Entries[0].ID
	b.Run("view-person+audit", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := s.ViewPerson(ctx, id); err != nil {
				b.Fatal(err)
			}
		}
	})
}
