package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
	"rehabdesk/sync/client"
	"rehabdesk/sync/server"
)

func init() {
	syncOptions = client.Options{Retries: 1, Backoff: 5 * time.Millisecond}
}

// syncEnv runs commands in English with the test password.
func syncEnv() (*Env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	vars := map[string]string{"REHABDESK_PASSWORD": "secret-pass", "REHABDESK_LANG": "en"}
	return &Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return vars[k] }}, &out, &errb
}

func syncDB(t *testing.T, township string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "d.db")
	st, err := store.Create(context.Background(), path, township, "officer", "secret-pass",
		store.Options{KDF: storetest.FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Put(context.Background(), store.KindStaff, "", map[string]string{"name": "王五", "role": "officer"}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	return path
}

func countyServer(t *testing.T) (*server.Server, string) {
	t.Helper()
	srv, err := server.Open(context.Background(), filepath.Join(t.TempDir(), "county.db"), server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	if err := srv.AddTownship(context.Background(), "520102016"); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return srv, hs.URL
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	env, out, errb := syncEnv()
	if code := Main(env, args); code != 0 {
		t.Fatalf("rehabdesk %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errb)
	}
	return out.String()
}

func TestEnrollSyncConflictsCommands(t *testing.T) {
	srv, url := countyServer(t)
	code, err := srv.NewEnrollCode(context.Background(), "520102016", false, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	db := syncDB(t, "520102016")
	if out := mustRun(t, "enroll", "--db", db, "--server", url, "--code", code); !strings.Contains(out, "Enrolled with") {
		t.Fatalf("enroll said %q", out)
	}
	if out := mustRun(t, "sync", "--db", db); !strings.Contains(out, "Sent 2 changes") {
		t.Fatalf("sync said %q", out)
	}
	if out := mustRun(t, "sync", "--db", db, "--status"); !strings.Contains(out, "0 changes waiting") {
		t.Fatalf("status said %q", out)
	}
	var cs struct{ Conflicts, Duplicates []any }
	if err := json.Unmarshal([]byte(mustRun(t, "conflicts", "--db", db, "--json")), &cs); err != nil || len(cs.Conflicts) != 0 || cs.Duplicates == nil {
		t.Fatalf("conflicts --json: %v %v", cs, err)
	}
	env, _, errb := syncEnv()
	if Main(env, []string{"enroll", "--db", db, "--server", url, "--code", code}) != 1 ||
		!strings.Contains(errb.String(), "already been used") {
		t.Fatalf("replayed code: %s", errb)
	}
}

func TestSyncThroughFiles(t *testing.T) {
	srv, url := countyServer(t)
	ctx := context.Background()
	codeA, err := srv.NewEnrollCode(ctx, "520102016", false, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	codeB, err := srv.NewEnrollCode(ctx, "520102016", false, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	a, b := syncDB(t, "520102016"), syncDB(t, "520102016")
	mustRun(t, "enroll", "--db", a, "--server", url, "--code", codeA)
	mustRun(t, "enroll", "--db", b, "--server", url, "--code", codeB)
	mustRun(t, "sync", "--db", a)
	// b has no link: its messages travel by USB stick.
	req := filepath.Join(t.TempDir(), "b.rdsync")
	mustRun(t, "sync", "--db", b, "--to-file", req)
	reply, err := srv.Exchange(ctx, readFile(t, req))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, req+".reply", reply)
	out := mustRun(t, "sync", "--db", b, "--from-file", req+".reply")
	if !strings.Contains(out, "Sent 2 changes") || !strings.Contains(out, "Received 2 changes") {
		t.Fatalf("from-file said %q", out)
	}
	// Reading the same reply again changes nothing.
	if out := mustRun(t, "sync", "--db", b, "--from-file", req+".reply"); !strings.Contains(out, "Sent 0 changes") {
		t.Fatalf("second read said %q", out)
	}
	if out := mustRun(t, "sync", "--db", b, "--status"); !strings.Contains(out, "0 changes waiting") {
		t.Fatalf("status said %q", out)
	}
	// A tampered or old-format reply gets the same plain message (an empty
	// one is named as such, TestEmptyReplyFileSaysSo).
	tampered := bytes.Clone(reply)
	tampered[len(tampered)/2] ^= 1
	for name, data := range map[string][]byte{"tampered": tampered, "old": []byte("RDSY\x02\x0b")} {
		writeFile(t, req+".bad", data)
		env, _, errb := syncEnv()
		if Main(env, []string{"sync", "--db", b, "--from-file", req + ".bad"}) != 1 || !strings.Contains(errb.String(), "damaged, of an old format") {
			t.Fatalf("%s reply: %s", name, errb)
		}
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestConflictsCommandListsAConcurrentEdit(t *testing.T) {
	srv, url := countyServer(t)
	ctx := context.Background()
	a, b := syncDB(t, "520102016"), syncDB(t, "520102016")
	for _, db := range []string{a, b} {
		code, err := srv.NewEnrollCode(ctx, "520102016", false, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		mustRun(t, "enroll", "--db", db, "--server", url, "--code", code)
	}
	id := editStore(t, a, "", map[string]string{"name": "张三", "id_number": "52010219900101123X"})
	mustRun(t, "sync", "--db", a)
	mustRun(t, "sync", "--db", b)
	editStore(t, a, id, map[string]string{"phone": "13800000001"})
	editStore(t, b, id, map[string]string{"phone": "13900000002"})
	for _, db := range []string{a, b, a} {
		mustRun(t, "sync", "--db", db)
	}
	for _, db := range []string{a, b} {
		out := mustRun(t, "conflicts", "--db", db)
		if !strings.Contains(out, "13800000001") || !strings.Contains(out, "13900000002") {
			t.Fatalf("conflicts on %s: %q", db, out)
		}
	}
}

// editStore writes a person directly through the store, as the GUI would.
func editStore(t *testing.T, db, id string, fields map[string]string) string {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, db, store.Options{})
	if err == nil {
		err = st.Unlock(ctx, "officer", "secret-pass")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	id, err = st.Put(ctx, store.KindPerson, id, fields)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// swapHandler serves the sync protocol of whichever server is current, so
// a test can close the county database, put a copy back and reopen it
// behind the same address.
type swapHandler struct{ srv atomic.Pointer[server.Server] }

func (h *swapHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.srv.Load().Handler().ServeHTTP(w, r)
}

// After the county server is put back to an older copy, `sync` says so in
// plain words, sends again the change the copy lacks, and `sync --status`
// keeps saying when it happened.
func TestSyncSaysTheServerWasRestored(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "county.db")
	open := func() *server.Server {
		srv, err := server.Open(ctx, path, server.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return srv
	}
	h := &swapHandler{}
	h.srv.Store(open())
	h.srv.Load().AddTownship(ctx, "520102016")
	hs := httptest.NewServer(h)
	defer hs.Close()
	code, err := h.srv.Load().NewEnrollCode(ctx, "520102016", false, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	db := syncDB(t, "520102016")
	mustRun(t, "enroll", "--db", db, "--server", hs.URL, "--code", code)
	mustRun(t, "sync", "--db", db)
	h.srv.Load().Close()
	backup, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h.srv.Store(open())
	st, err := store.Open(ctx, db, store.Options{})
	if err == nil {
		err = st.Unlock(ctx, "officer", "secret-pass")
	}
	if err != nil {
		t.Fatal(err)
	}
	st.Put(ctx, store.KindStaff, "", map[string]string{"name": "赵六", "role": "officer"})
	st.Close()
	if out := mustRun(t, "sync", "--db", db); strings.Contains(out, "restored") {
		t.Fatalf("restore reported before it happened: %q", out)
	}
	h.srv.Load().Close()
	if err := os.WriteFile(path, backup, 0o600); err != nil {
		t.Fatal(err)
	}
	h.srv.Store(open())
	defer h.srv.Load().Close()
	if out := mustRun(t, "sync", "--db", db); !strings.Contains(out, "restored from an older copy") || !strings.Contains(out, "Sent 3 changes (2 were already") {
		t.Fatalf("sync after the restore said %q", out)
	}
	if out := mustRun(t, "sync", "--db", db, "--status"); !strings.Contains(out, "found the county server restored") {
		t.Fatalf("status said %q", out)
	}
}

// One person registered on two devices offline: after syncing, both
// devices' sync says a pair waits, and conflicts lists it.
func TestDuplicatePersonsWaitingForAMergeAreListed(t *testing.T) {
	srv, url := countyServer(t)
	ctx := context.Background()
	a, b := syncDB(t, "520102016"), syncDB(t, "520102016")
	for _, db := range []string{a, b} {
		code, err := srv.NewEnrollCode(ctx, "520102016", false, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		mustRun(t, "enroll", "--db", db, "--server", url, "--code", code)
	}
	editStore(t, a, "", map[string]string{"name": "张三", "id_number": "52010219900101123X", "phone": "13800000001"})
	editStore(t, b, "", map[string]string{"name": "张三", "id_number": "52010219900101123X", "phone": "13900000002"})
	mustRun(t, "sync", "--db", a)
	if out := mustRun(t, "sync", "--db", b); !strings.Contains(out, "1 pairs of duplicate persons") {
		t.Fatalf("sync did not say a pair waits: %q", out)
	}
	out := mustRun(t, "conflicts", "--db", b)
	if !strings.Contains(out, "Duplicate person waiting for a merge: 张三") || !strings.Contains(out, "Phone") {
		t.Fatalf("conflicts: %q", out)
	}
}
