package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"rehabdesk/internal/pgtest"
	"rehabdesk/store"
	"rehabdesk/sync/client"
)

// Two countyd processes serve one PostgreSQL database at once: a device
// enrolled through each pushes and pulls through its own server while the
// other does the same, and both end with every record of the township,
// as the shared database holds it.
func TestTwoCountydOnOnePostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds countyd and starts PostgreSQL")
	}
	c1 := buildCountyd(t)
	c1.pg = pgtest.Database(t)
	c2 := &countyd{t: t, bin: c1.bin, pg: c1.pg, key: c1.key, addr: freeAddr(t)}
	c1.run("township", "add", "--code", township)
	for _, c := range []*countyd{c1, c2} {
		c.start()
		defer func() { c.proc.Process.Kill(); c.proc.Wait() }()
	}
	dir := t.TempDir()
	a := newStore(t, filepath.Join(dir, "a.db"))
	defer a.Close()
	c1.enroll(a)
	bPath := filepath.Join(dir, "b.db")
	b := newStore(t, bPath)
	c2.enroll(b)
	var wg sync.WaitGroup
	for round := 0; round < 3; round++ {
		addPersons(t, a, 20, round*100)
		addPersons(t, b, 20, 1000+round*100)
		for _, st := range []*store.Store{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := client.Sync(context.Background(), st, nil, client.Options{}); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
	}
	mustSync(t, a)
	mustSync(t, b)
	b.Close()
	c1.stop()
	c2.stop()
	checkConverged(t, c1, a, bPath, 120)
}

// countyd migrate moves a SQLite server to PostgreSQL while its devices are
// away; they carry on through serve --pg at the same address without
// re-enrolling: their first sync finds no restored server (nothing is sent
// or read again), everything converges, and the certificate they pinned
// moved beside the key file.
func TestMigrateToPostgresDevicesCarryOn(t *testing.T) {
	if testing.Short() {
		t.Skip("builds countyd and starts PostgreSQL")
	}
	c := buildCountyd(t)
	c.run("township", "add", "--code", township)
	c.start()
	defer func() { c.proc.Process.Kill(); c.proc.Wait() }()
	dir := t.TempDir()
	a := newStore(t, filepath.Join(dir, "a.db"))
	defer a.Close()
	bPath := filepath.Join(dir, "b.db")
	b := newStore(t, bPath)
	for _, st := range []*store.Store{a, b} {
		c.enroll(st)
	}
	addPersons(t, a, 30, 0)
	addPersons(t, b, 20, 1000)
	syncAll(t, a, b, a)
	c.stop()

	c.pg = pgtest.Database(t)
	if out := c.run("migrate", "--from", c.db); !strings.Contains(out, "changes") {
		t.Fatalf("migrate printed:\n%s", out)
	}
	pinned, _ := certPaths(c.db)
	moved, _ := certPaths(c.key)
	if want, got := readFile(t, pinned), readFile(t, moved); !bytes.Equal(want, got) {
		t.Fatal("the pinned TLS certificate did not move beside the key file")
	}
	c.start()
	addPersons(t, a, 10, 100)
	addPersons(t, b, 10, 1100)
	for i, st := range []*store.Store{a, b} {
		res, err := client.Sync(context.Background(), st, nil, client.Options{})
		if err != nil || res.ServerRestored {
			t.Fatalf("device %d's first sync on PostgreSQL: restored %v, %v", i, res.ServerRestored, err)
		}
	}
	syncAll(t, a, b, a)
	b.Close()
	c.stop()
	checkConverged(t, c, a, bPath, 70)
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
