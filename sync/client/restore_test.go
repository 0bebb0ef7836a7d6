package client

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"rehabdesk/store"
	"rehabdesk/sync/server"
)

// swapHandler serves whichever server is current, so a test can close the
// county database, put a copy back and reopen it behind the same address.
type swapHandler struct{ srv atomic.Pointer[server.Server] }

func (h *swapHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.srv.Load().Handler().ServeHTTP(w, r)
}

// A device that syncs only by exchange files also loses nothing when the
// county server is put back to an older copy: the reply says so, the next
// request file carries all the device's changes, and the feed is read from
// the start. With the marker copied back too, only the device's cursor and
// last change reveal the restore.
func TestExchangeFilesAfterAServerRestoreLoseNothing(t *testing.T) {
	for _, withMarker := range []bool{false, true} {
		t.Run(map[bool]string{false: "key", true: "folder"}[withMarker], func(t *testing.T) {
			exchangeAfterRestore(t, withMarker)
		})
	}
}

func exchangeAfterRestore(t *testing.T, withMarker bool) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "county.db")
	h := &swapHandler{}
	c := &county{}
	open := func() {
		srv, err := server.Open(ctx, path, server.Options{})
		if err != nil {
			t.Fatal(err)
		}
		h.srv.Store(srv)
		c.srv = srv
	}
	open()
	defer func() { c.srv.Close() }()
	c.srv.AddTownship(ctx, townA)
	hs := httptest.NewServer(h)
	defer hs.Close()
	c.url = hs.URL
	online, offline := c.enrolled(t, townA), c.enrolled(t, townA)
	addPersons(t, offline, 10, 0)
	c.exchange(t, offline)
	mustSync(t, online)

	c.srv.Close()
	files := []string{path, path + ".key.generation"}
	backup := map[string][]byte{}
	for _, f := range files {
		backup[f], _ = os.ReadFile(f)
	}
	open()
	addPersons(t, offline, 10, 100)
	c.exchange(t, offline)
	addPersons(t, online, 5, 200)
	mustSync(t, online)
	c.exchange(t, offline)

	c.srv.Close()
	for _, f := range files[:map[bool]int{false: 1, true: 2}[withMarker]] {
		if err := os.WriteFile(f, backup[f], 0o600); err != nil {
			t.Fatal(err)
		}
	}
	open()
	addPersons(t, online, 3, 300)
	mustSync(t, online)
	if res := c.exchange(t, offline); !res.ServerRestored {
		t.Fatalf("first exchange after the restore: %+v", res)
	}
	c.exchange(t, offline)
	mustSync(t, online)
	c.exchange(t, offline)
	want := c.snapshot(t, townA)
	sameData(t, "offline vs server", snapshot(t, offline), want)
	sameData(t, "online vs server", snapshot(t, online), want)
	persons, err := offline.List(ctx, store.KindPerson, store.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(persons) != 28 {
		t.Fatalf("%d persons, want 28", len(persons))
	}
}
