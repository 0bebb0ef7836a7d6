package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"rehabdesk/store"
	"rehabdesk/sync/client"
	"rehabdesk/sync/server"
)

// TestRestoredServerLosesNoEdit puts a county server's database back to a
// copy taken mid-history — as after a disk failure — and keeps working with
// three devices. Every device must end with every edit, the ones the
// restored copy lacks included: the server renews its epoch (or the devices
// find their cursor and last change missing), each device sends its own
// changes again and re-reads the feed, so no renumbered change is skipped.
// "key": county.db and its key are copied back, the marker beside them is
// the newer one; "folder": the marker is copied back too, so only the
// devices can tell.
func TestRestoredServerLosesNoEdit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds countyd and restarts it")
	}
	for _, restore := range []string{"key", "folder"} {
		t.Run(restore, func(t *testing.T) { restoredServer(t, restore == "folder") })
	}
}

func restoredServer(t *testing.T, withMarker bool) {
	c := buildCountyd(t)
	c.run("township", "add", "--code", township)
	c.start()
	defer func() { c.proc.Process.Kill(); c.proc.Wait() }()
	dir := t.TempDir()
	devs := make([]*store.Store, 3)
	for i := range devs {
		devs[i] = newStore(t, filepath.Join(dir, fmt.Sprintf("d%d.db", i)))
		defer devs[i].Close()
		c.enroll(devs[i])
	}
	a, b, d := devs[0], devs[1], devs[2]
	addPersons(t, a, 40, 0)
	addPersons(t, b, 20, 1000)
	syncAll(t, a, b, d, a)

	c.stop()
	backup := t.TempDir()
	backupServerFiles(t, c, backup)
	c.start()
	// Work the restored copy will not have: new persons, edits, pulls.
	addPersons(t, a, 30, 100)
	editPhones(t, a, 10, "139")
	addPersons(t, b, 15, 1100)
	syncAll(t, a, b, d)
	addPersons(t, d, 5, 2000)
	syncAll(t, d)

	c.stop()
	restoreServerFiles(t, c, backup, withMarker)
	c.start()
	// B comes first, and its new persons take the feed numbers D has
	// already read past.
	addPersons(t, b, 10, 1200)
	editPhones(t, b, 6, "137")
	for i, st := range []*store.Store{b, a, d} {
		res, err := client.Sync(context.Background(), st, nil, client.Options{})
		if err != nil || !res.ServerRestored {
			t.Fatalf("device %d's first sync after the restore: restored %v, %v", i, res.ServerRestored, err)
		}
	}
	syncAll(t, a, b, d, a, b)
	c.stop()
	if !withMarker && !strings.Contains(c.log.String(), "restored from a copy") {
		t.Errorf("countyd did not log the restore:\n%s", c.log.String())
	}
	convergedWithEveryEdit(t, c, devs, 40+20+30+15+5+10)
}

func syncAll(t *testing.T, devs ...*store.Store) {
	t.Helper()
	for _, st := range devs {
		mustSync(t, st)
	}
}

// editPhones gives the first n persons (by id) a phone number with prefix.
func editPhones(t *testing.T, st *store.Store, n int, prefix string) {
	t.Helper()
	ps, err := st.List(context.Background(), store.KindPerson, store.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range ps[:n] {
		if _, err := st.Put(context.Background(), store.KindPerson, p.ID, map[string]string{"phone": fmt.Sprintf("%s%08d", prefix, i)}); err != nil {
			t.Fatal(err)
		}
	}
}

// backupServerFiles copies county.db, its key and the generation marker
// beside the key into folder dst, as an IT person's backup does; the WAL
// must be gone after a clean stop.
func backupServerFiles(t *testing.T, c *countyd, dst string) {
	t.Helper()
	for _, stale := range []string{c.db + "-wal", c.db + "-shm"} {
		if _, err := os.Stat(stale); err == nil {
			t.Fatalf("%s left after a clean stop", stale)
		}
	}
	copyFile(t, c.db, filepath.Join(dst, "county.db"))
	copyFile(t, c.key, filepath.Join(dst, "county.key"))
	copyFile(t, c.key+".generation", filepath.Join(dst, "county.key.generation"))
}

// restoreServerFiles puts a backup back: the database (removing a WAL left
// beside it) and the key, and the generation marker when marker (a whole
// folder restored) — without it, only the database and key came back.
func restoreServerFiles(t *testing.T, c *countyd, src string, marker bool) {
	t.Helper()
	os.Remove(c.db + "-wal")
	os.Remove(c.db + "-shm")
	copyFile(t, filepath.Join(src, "county.db"), c.db)
	copyFile(t, filepath.Join(src, "county.key"), c.key)
	if marker {
		copyFile(t, filepath.Join(src, "county.key.generation"), c.key+".generation")
	}
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// convergedWithEveryEdit checks that every device holds the server's
// merged state, that it has all persons and both rounds of phone edits,
// and that the server stored nothing twice.
func convergedWithEveryEdit(t *testing.T, c *countyd, devs []*store.Store, persons int) {
	t.Helper()
	ctx := context.Background()
	srv, err := server.Open(ctx, c.db, server.Options{KeyFile: c.key})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	recs, err := srv.Records(ctx, township)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]string{}
	for id, r := range recs {
		want[id] = r.Fields
	}
	for i, st := range devs {
		if got := snapshot(t, st); !reflect.DeepEqual(got, want) {
			t.Errorf("device %d: %d records, server %d, not the same", i, len(got), len(want))
		}
	}
	phones := map[string]int{}
	n := 0
	for _, r := range want {
		if r["id_number"] != "" {
			n++
			if p := r["phone"]; len(p) > 3 {
				phones[p[:3]]++
			}
		}
	}
	if n != persons || phones["139"]+phones["137"] < 10 || phones["137"] != 6 {
		t.Fatalf("server holds %d persons (want %d), phones by prefix %v (want 6 of 137, 139 on the rest of 10)", n, persons, phones)
	}
	stats, err := srv.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Changes != stats.Feed {
		t.Fatalf("feed %d entries for %d changes: something is doubled", stats.Feed, stats.Changes)
	}
}
