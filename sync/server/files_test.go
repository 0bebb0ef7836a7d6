package server

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"rehabdesk/store"
)

// The database, its WAL and shared memory, and the key file hold every
// township's records or open them: only the server's user may read them,
// whatever the umask, and files left readable by an older release are
// narrowed when the server opens them.
func TestServerFilesAreOwnerOnly(t *testing.T) {
	if backendOf(t) == onPostgres {
		t.Skip("the SQLite file's modes; PostgreSQL keeps its own files")
	}
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	db, key := filepath.Join(dir, "c.db"), filepath.Join(dir, "keys", "c.key")
	os.Mkdir(filepath.Join(dir, "keys"), 0o700)
	checkModes := func(when string) {
		t.Helper()
		for _, p := range []string{db, db + "-wal", db + "-shm", key} {
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatalf("%s: %v", when, err)
			}
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("%s: %s has mode %o", when, filepath.Base(p), fi.Mode().Perm())
			}
		}
	}
	open := func() *Server {
		srv, err := Open(context.Background(), db, Options{KeyFile: key})
		if err != nil {
			t.Fatal(err)
		}
		return srv
	}
	srv := open()
	f := &fixture{t: t, srv: srv}
	srv.AddTownship(context.Background(), townA)
	f.srv.Push(context.Background(), &device{ID: "d", Township: townA},
		[]*store.Change{change("d", townA, store.KindPerson, "p1", "p1", map[string]string{"name": "甲"})})
	checkModes("new files")
	srv.Close()
	for _, p := range []string{db, key} {
		os.Chmod(p, 0o644)
	}
	srv = open()
	defer srv.Close()
	srv.Townships(context.Background())
	checkModes("reopened files")
}
