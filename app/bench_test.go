package app

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"rehabdesk/internal/cputime"
	"rehabdesk/store"
)

// benchPersons is the township size the goals are set for.
const benchPersons = 100_000

var (
	benchOnce sync.Once
	benchPath string
	benchDir  string
)

// benchDB builds one 100,000-person database for all benchmarks of a run.
// Its officer password uses the app's real KDF cost, so sign-in is timed
// as officers feel it.
//
// Building it takes minutes, so REHABDESK_BENCH_DB may name a file to keep
// and reuse between runs.
func benchDB(b *testing.B) string {
	benchOnce.Do(func() {
		if p := os.Getenv("REHABDESK_BENCH_DB"); p != "" {
			benchPath = p
			if _, err := os.Stat(p); err == nil {
				return
			}
		} else {
			dir, err := os.MkdirTemp("", "rehabdesk-bench-")
			if err != nil {
				b.Fatal(err)
			}
			benchDir, benchPath = dir, filepath.Join(dir, "bench.db")
		}
		start := time.Now()
		demoDB(b, benchPath, benchPersons, store.DefaultKDF)
		st, err := store.Open(context.Background(), benchPath, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		st.Close()
		b.Logf("built %d persons in %v", benchPersons, time.Since(start).Round(time.Second))
	})
	return benchPath
}

func cpuTime() time.Duration { return cputime.Process() }

// reportCPU adds the CPU time per operation measured since start.
func reportCPU(b *testing.B, start time.Duration, n int) {
	b.ReportMetric(float64((cpuTime()-start).Milliseconds())/float64(n), "cpu-ms/op")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// BenchmarkStartToFirstWindow times what an officer waits for: open the
// database, sign in (password hash, decrypting and indexing every person)
// and build the main window with its figures; goal ≤ 1.5 s at 100,000
// persons. The alert list fills in afterwards in the background and is
// not counted: the window is usable before it.
func BenchmarkStartToFirstWindow(b *testing.B) {
	path := benchDB(b)
	b.ResetTimer()
	var cpu time.Duration
	for range b.N {
		b.StopTimer()
		a := test.NewApp()
		var later []func()
		opt := Options{Background: func(job func()) { later = append(later, job) }}
		b.StartTimer()
		c0 := cpuTime()
		u := New(a, path, opt)
		u.Start()
		u.signIn.user.SetText(testUser)
		u.signIn.password.SetText(testPassword)
		u.signIn.onSubmit()
		for _, job := range later { // the unlock itself
			job()
		}
		cpu += cpuTime() - c0
		b.StopTimer()
		if u.shell == nil {
			b.Fatalf("not signed in: %q", overlayText(u))
		}
		u.st.Close()
		a.Quit()
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/start")
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
}

// BenchmarkSearchAsYouType times one keystroke in the people search at
// 100,000 persons: the in-memory search, the first page and the table
// refresh; goal ≤ 50 ms.
func BenchmarkSearchAsYouType(b *testing.B) {
	path := benchDB(b)
	a := test.NewApp()
	defer a.Quit()
	u := New(a, path, Options{Background: func(job func()) { job() }})
	u.Start()
	u.signIn.user.SetText(testUser)
	u.signIn.password.SetText(testPassword)
	u.signIn.onSubmit()
	defer u.st.Close()
	p := u.shell.people
	u.shell.show(navPeople)
	keys := []string{"w", "wa", "wan", "wang", "王", "王明", "5", "52", "520", "5201", "0101", ""}
	b.ResetTimer()
	c0 := cpuTime()
	for i := 0; b.Loop(); i++ {
		p.search.SetText(keys[i%len(keys)])
	}
	reportCPU(b, c0, b.N)
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/key")
}

// BenchmarkMainWindowAfterUnlock times the GUI's own share of the start:
// building the main window (figures, people list, every page) on a store
// already unlocked at 100,000 persons.
func BenchmarkMainWindowAfterUnlock(b *testing.B) {
	path := benchDB(b)
	a := test.NewApp()
	defer a.Quit()
	var later []func()
	u := New(a, path, Options{Background: func(job func()) { later = append(later, job) }})
	u.Start()
	if err := u.st.Unlock(context.Background(), testUser, testPassword); err != nil {
		b.Fatal(err)
	}
	defer u.st.Close()
	b.ResetTimer()
	c0 := cpuTime()
	for range b.N {
		u.signedIn(u.st)
	}
	reportCPU(b, c0, b.N)
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/window")
}
