package store

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"rehabdesk/store/search"
)

const benchPersons = 100_000

// benchStore creates a township of n persons, each with a measure, in one
// transaction, with the officer's key slot at the real DefaultKDF cost.
// With BENCH_DB_CACHE set to a folder, the township is made once and
// copied from there (setup takes minutes at 100,000); opening the copy
// migrates it, so delete the cached file when the record format changes.
func benchStore(b *testing.B, n int) *Store {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "bench.db")
	cache := ""
	if dir := os.Getenv("BENCH_DB_CACHE"); dir != "" {
		cache = filepath.Join(dir, fmt.Sprintf("rehabdesk-bench-%d.db", n))
		if copyFile(cache, path) == nil {
			s, err := Open(ctx, path, Options{KDF: DefaultKDF})
			if err == nil {
				err = s.Unlock(ctx, "officer", "secret-pass")
			}
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			return s
		}
	}
	s, err := Create(ctx, path, testTownship, "officer", "secret-pass", Options{KDF: DefaultKDF})
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
	if cache != "" {
		os.Remove(cache)
		if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", cache); err != nil {
			b.Logf("cache %s: %v", cache, err)
		}
	}
	return s
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
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
		benchUnlock(b, s, nil)
	})
	// session is the sign-in after the KDF: accounts, scope and search
	// index, what the user waits for beyond the deliberate password cost,
	// with an up-to-date index snapshot (index_snapshot.go), with 1,000 persons
	// edited since it was written, and with none (the full rebuild of the
	// first sign-in after an upgrade, which writes it).
	b.Run("session", func(b *testing.B) { benchSession(b, s, nil) })
	// Another handle on the file (the command line, a sync) edits 1,000
	// persons while this one is locked, so its Lock cannot fold them in.
	other, err := Open(ctx, s.Path(), Options{KDF: DefaultKDF})
	if err != nil {
		b.Fatal(err)
	}
	defer other.Close()
	if err := other.Unlock(ctx, "officer", "secret-pass"); err != nil {
		b.Fatal(err)
	}
	round := 0
	edit1000 := func(st *Store) {
		round++
		ids := st.Search(search.Query{Limit: 1000, Offset: 1000 * round}).Entries
		err := st.Update(ctx, func(tx *Tx) error {
			for _, e := range ids {
				if _, err := tx.Put(KindPerson, e.ID, map[string]string{"risk": []string{"low", "medium", "high"}[round%3]}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.Run("session-dirty1000", func(b *testing.B) {
		benchSession(b, s, func() { edit1000(other) })
	})
	// lock-dirty1000 is Lock after a session that edited 1,000 persons:
	// it rewrites the snapshot.
	b.Run("lock-dirty1000", func(b *testing.B) {
		var wall, cpu time.Duration
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			if err := s.Unlock(ctx, "officer", "secret-pass"); err != nil {
				b.Fatal(err)
			}
			edit1000(s)
			b.StartTimer()
			t0, c0 := time.Now(), cpuTime()
			s.Lock()
			wall += time.Since(t0)
			cpu += cpuTime() - c0
		}
		b.ReportMetric(float64(wall.Milliseconds())/float64(b.N), "wall-ms/op")
		b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
		if err := s.Unlock(ctx, "officer", "secret-pass"); err != nil {
			b.Fatal(err)
		}
	})
	b.Run("session-rebuild", func(b *testing.B) {
		benchSession(b, s, func() {
			if _, err := s.db.ExecContext(ctx, "DELETE FROM index_snapshot"); err != nil {
				b.Fatal(err)
			}
		})
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

// benchUnlock signs in b.N times, running before (if any) between a Lock
// and the Unlock, and reports the KDF's share apart.
func benchUnlock(b *testing.B, s *Store, before func()) {
	ctx := context.Background()
	salt := make([]byte, 16)
	var kdf, total, cpu time.Duration
	for i := 0; i < b.N; i++ {
		s.Lock()
		if before != nil {
			b.StopTimer()
			before()
			b.StartTimer()
		}
		t0 := time.Now()
		kekAEAD("secret-pass", salt, DefaultKDF) // the KDF alone, timed apart
		t1, c1 := time.Now(), cpuTime()
		if err := s.Unlock(ctx, "officer", "secret-pass"); err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - c1
		kdf += t1.Sub(t0)
		total += time.Since(t1)
	}
	n := float64(b.N)
	b.ReportMetric(float64(total.Milliseconds())/n, "unlock-ms/op")
	b.ReportMetric(float64(kdf.Milliseconds())/n, "kdf-ms/op")
	b.ReportMetric(float64((total-kdf).Milliseconds())/n, "beyond-kdf-ms/op")
	b.ReportMetric(float64(cpu.Milliseconds())/n, "cpu-ms/op")
	b.ReportMetric(float64(s.Search(search.Query{Limit: 1}).Total), "persons")
}

// benchSession times startSession alone (the password unwrapped once), b.N
// times, running before (if any) untimed before each, while locked.
func benchSession(b *testing.B, s *Store, before func()) {
	ctx := context.Background()
	key, err := s.unwrapFor(ctx, "officer", "secret-pass")
	if err != nil {
		b.Fatal(err)
	}
	var wall, cpu time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s.Lock()
		if before != nil {
			before()
		}
		seal, err := newSealer(key)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t0, c0 := time.Now(), cpuTime()
		if err := s.startSession(ctx, "officer", seal); err != nil {
			b.Fatal(err)
		}
		wall += time.Since(t0)
		cpu += cpuTime() - c0
	}
	b.ReportMetric(float64(wall.Milliseconds())/float64(b.N), "wall-ms/op")
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(s.Search(search.Query{Limit: 1}).Total), "persons")
}
