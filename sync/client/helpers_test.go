package client

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
	"time"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
	"rehabdesk/sync/server"
)

const (
	townA = "520102016" // 新华路街道
	townB = "520102017"
)

// fastOpt keeps retries quick in tests.
var fastOpt = Options{Backoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, Retries: 3}

type county struct {
	srv *server.Server
	url string
}

func newCounty(t testing.TB) *county {
	t.Helper()
	return newCountyWith(t, server.Options{})
}

// newCountyWith is newCounty with the server's options given.
func newCountyWith(t testing.TB, opt server.Options) *county {
	t.Helper()
	ctx := context.Background()
	srv, err := server.Open(ctx, filepath.Join(t.TempDir(), "county.db"), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	for _, code := range []string{townA, townB} {
		if err := srv.AddTownship(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return &county{srv: srv, url: hs.URL}
}

func (c *county) code(t testing.TB, township string) string {
	t.Helper()
	code, err := c.srv.NewEnrollCode(context.Background(), township, false, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func newDevice(t testing.TB, township string) *store.Store {
	t.Helper()
	st, err := store.Create(context.Background(), filepath.Join(t.TempDir(), "d.db"), township, "officer", "secret-pass",
		store.Options{KDF: storetest.FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// enrolled makes a device database enrolled with the county.
func (c *county) enrolled(t testing.TB, township string) *store.Store {
	t.Helper()
	st := newDevice(t, township)
	if _, err := Enroll(context.Background(), st, c.url, c.code(t, township), "", fastOpt); err != nil {
		t.Fatalf("enroll: %v", err)
	}
	return st
}

func mustSync(t testing.TB, st *store.Store) Result {
	t.Helper()
	res, err := Sync(context.Background(), st, nil, fastOpt)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return res
}

func put(t testing.TB, st *store.Store, kind store.Kind, id string, f map[string]string) string {
	t.Helper()
	id, err := st.Put(context.Background(), kind, id, f)
	if err != nil {
		t.Fatalf("put %s: %v", kind, err)
	}
	return id
}

// reporter is what the assertions below need of a *testing.T or a
// *rapid.T: a property's failures go to rapid's T, which shrinks them.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Fatal(args ...any)
}

// snapshot is every record of a device database: id -> fields.
func snapshot(t reporter, st *store.Store) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	for _, k := range store.Kinds() {
		rs, err := st.List(context.Background(), k, store.ListFilter{IncludeArchived: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			out[r.ID] = r.Fields
		}
	}
	return out
}

// serverSnapshot is the county's merged state of a township.
func (c *county) snapshot(t reporter, township string) map[string]map[string]string {
	t.Helper()
	rs, err := c.srv.Records(context.Background(), township)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]string{}
	for id, r := range rs {
		out[id] = r.Fields
	}
	return out
}

func sameData(t reporter, what string, got, want map[string]map[string]string) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	var ids []string
	for id := range want {
		if !reflect.DeepEqual(got[id], want[id]) {
			ids = append(ids, id)
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids[:min(len(ids), 5)] {
		t.Errorf("%s: record %s\n got %v\nwant %v", what, id, got[id], want[id])
	}
	t.Fatalf("%s: %d records differ", what, len(ids))
}
