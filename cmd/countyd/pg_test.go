package main

import (
	"context"
	"path/filepath"
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
