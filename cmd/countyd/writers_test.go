package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"rehabdesk/app/cli"
	"rehabdesk/internal/ledgertest"
	"rehabdesk/store"
	"rehabdesk/store/ledger"
	"rehabdesk/store/search"
	"rehabdesk/sync/client"
)

// The import child: this test binary, re-run with REHABDESK_TEST_IMPORT
// set to "db|ledger|batch", imports a ledger into a database in a process
// of its own, through the command line when batch is 0 (as an officer's
// script would) and through ledger.ImportFile in batches of that many rows
// otherwise (more transactions to interleave with another writer).
func init() {
	job := os.Getenv("REHABDESK_TEST_IMPORT")
	if job == "" {
		return
	}
	parts := strings.Split(job, "|")
	batch, _ := strconv.Atoi(parts[2])
	if batch == 0 {
		env := cli.DefaultEnv()
		os.Exit(cli.Main(env, []string{"import", "--db", parts[0], "--user", "officer", parts[1]}))
	}
	ctx := context.Background()
	st, err := store.Open(ctx, parts[0], store.Options{})
	if err == nil {
		err = st.Unlock(ctx, "officer", "secret-pass")
	}
	if err == nil {
		var rep *ledger.Report
		rep, err = ledger.ImportFile(ctx, st, parts[1], ledger.Options{Batch: batch})
		if err == nil {
			fmt.Printf("imported %d new\n", rep.New)
		}
		st.Close()
	}
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// importChild starts an import of ledger into db in a child process.
func importChild(t *testing.T, db, ledgerPath string, batch int) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), fmt.Sprintf("REHABDESK_TEST_IMPORT=%s|%s|%d", db, ledgerPath, batch),
		"REHABDESK_PASSWORD=secret-pass", "REHABDESK_LANG=en")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &out
}

// writeLedger generates a ledger of n persons and returns its path and
// its ID numbers.
func writeLedger(t *testing.T, dir string, n int, seed int64) (string, []string) {
	t.Helper()
	var buf bytes.Buffer
	if err := ledgertest.Generate(&buf, n, seed); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range rows[1:] {
		ids = append(ids, r[3])
	}
	path := filepath.Join(dir, fmt.Sprintf("ledger-%d.csv", seed))
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, ids
}

// openDevice opens a device database, signed in.
func openDevice(t *testing.T, path string) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, path, store.Options{})
	if err == nil {
		err = st.Unlock(ctx, "officer", "secret-pass")
	}
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// checkAllPending checks that every value of every record saved on the
// device is the value of a local change the device will push: an edit
// saved with no change behind it never reaches another device.
func checkAllPending(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	info, err := client.Status(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	local := map[string]bool{}
	for after := int64(0); ; {
		chs, err := st.LocalChanges(ctx, after, 5000)
		if err != nil {
			t.Fatal(err)
		}
		if len(chs) == 0 {
			break
		}
		for _, ch := range chs {
			local[ch.EntityID+" "+ch.Version().String()] = true
			after = ch.Seq
		}
	}
	if info.Pending != len(local) {
		t.Fatalf("sync status shows %d pending, the log holds %d local changes", info.Pending, len(local))
	}
	missing := 0
	for _, k := range store.Kinds() {
		rs, err := st.List(ctx, k, store.ListFilter{IncludeArchived: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			for f, v := range r.Versions {
				if !local[r.ID+" "+v] {
					missing++
					if missing <= 3 {
						t.Errorf("%s %s: field %s at %s has no change to push", k, r.ID, f, v)
					}
				}
			}
		}
	}
	if missing > 0 {
		t.Fatalf("%d saved values with no change to push", missing)
	}
}

// personIDs lists the ID numbers of the persons stored on a device.
func personIDs(t *testing.T, st *store.Store) map[string]bool {
	t.Helper()
	ps, err := st.List(context.Background(), store.KindPerson, store.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, p := range ps {
		out[p.Fields["id_number"]] = true
	}
	return out
}

func union(lists ...[]string) map[string]bool {
	out := map[string]bool{}
	for _, l := range lists {
		for _, id := range l {
			out[id] = true
		}
	}
	return out
}

// wantSame fails unless got holds exactly the ID numbers of want.
func wantSame(t *testing.T, who string, got, want map[string]bool) {
	t.Helper()
	lost := 0
	for id := range want {
		if !got[id] {
			lost++
		}
	}
	if lost > 0 || len(got) != len(want) {
		t.Fatalf("%s has %d persons, want %d (%d missing)", who, len(got), len(want), lost)
	}
}

// Two imports at once, each in a process of its own, on one database:
// each process stamped readings from its own memory under the same device
// id, and the change log dropped one change of every clash, so records
// were saved with nothing to push and another device never got them
// (issue 13: 4,854 of 6,000 persons arrived).
func TestTwoImportProcessesOnOneDatabaseLoseNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds countyd and runs imports in child processes")
	}
	ctx := context.Background()
	c := buildCountyd(t)
	c.run("township", "add", "--code", township)
	c.start()
	defer func() { c.proc.Process.Kill(); c.proc.Wait() }()
	dir := t.TempDir()
	aPath := filepath.Join(dir, "a.db")
	a := newStore(t, aPath)
	c.enroll(a)
	a.Close()

	l1, ids1 := writeLedger(t, dir, 3000, 1)
	l2, ids2 := writeLedger(t, dir, 3000, 2)
	one, out1 := importChild(t, aPath, l1, 250)
	two, out2 := importChild(t, aPath, l2, 0)
	if err := one.Wait(); err != nil {
		t.Fatalf("first import: %v\n%s", err, out1)
	}
	if err := two.Wait(); err != nil {
		t.Fatalf("second import: %v\n%s", err, out2)
	}
	want := union(ids1, ids2)

	a = openDevice(t, aPath)
	defer a.Close()
	wantSame(t, "device A", personIDs(t, a), want)
	// The people list searches the index each process folded in on close.
	if n := a.Search(search.Query{Limit: 1}).Total; n != len(want) {
		t.Fatalf("device A's people list shows %d persons, want %d", n, len(want))
	}
	checkAllPending(t, a)
	mustSync(t, a)
	b := newStore(t, filepath.Join(dir, "b.db"))
	defer b.Close()
	c.enroll(b)
	mustSync(t, b)
	wantSame(t, "device B after its sync", personIDs(t, b), want)
	if info, err := client.Status(ctx, a); err != nil || info.Pending != 0 {
		t.Fatalf("device A still has %d changes to push (error %v)", info.Pending, err)
	}
}

// The GUI holds the database open and saves edits while a command-line
// import runs in another process: neither is refused (the database is
// shared, not locked to one writer), and both handles' edits are kept,
// each with its change to push.
func TestStoreOpenWritingWhileACommandLineImportRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs an import in a child process")
	}
	ctx := context.Background()
	dir := t.TempDir()
	aPath := filepath.Join(dir, "a.db")
	gui := newStore(t, aPath)
	defer gui.Close()
	l, ids := writeLedger(t, dir, 3000, 3)
	cmd, out := importChild(t, aPath, l, 0)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var guiIDs []string
	for running := true; running || len(guiIDs) < 50; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("import: %v\n%s", err, out)
			}
			running = false
		default:
		}
		n := len(guiIDs)
		// 云岩区 (520103): no generated ledger uses it, so no clash.
		birth := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n/400)
		id := withCheck(fmt.Sprintf("520103%s%03d", birth.Format("20060102"), n%400*2))
		if _, err := gui.Put(ctx, store.KindPerson, "", map[string]string{"name": "李四", "id_number": id}); err != nil {
			t.Fatalf("GUI edit %d during the import: %v", n, err)
		}
		guiIDs = append(guiIDs, id)
	}
	if !strings.Contains(out.String(), "3000") {
		t.Fatalf("import summary does not count its 3000 rows:\n%s", out)
	}
	wantSame(t, "the database", personIDs(t, gui), union(ids, guiIDs))
	checkAllPending(t, gui)
	// The GUI's people list shows the imported persons once it catches up
	// (on its next screen change), without signing in again.
	if _, err := gui.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if n, want := gui.Search(search.Query{Limit: 1}).Total, len(union(ids, guiIDs)); n != want {
		t.Fatalf("the GUI's people list shows %d persons, want %d", n, want)
	}
}
