package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"rehabdesk/store/search"
	"rehabdesk/store/valid"
)

// testTownship is 新华路街道, 南明区, 贵阳市.
const testTownship = "520102016"

// fastKDF keeps tests quick; real accounts use DefaultKDF. It is
// storetest.FastKDF, which package store's own tests cannot import.
var fastKDF = KDFParams{Time: 1, Memory: 1024, Threads: 1}

func newTestStore(t testing.TB) *Store {
	t.Helper()
	return newTestStoreAt(t, filepath.Join(t.TempDir(), "t.db"), nil)
}

func newTestStoreAt(t testing.TB, path string, now func() time.Time) *Store {
	t.Helper()
	s, err := Create(context.Background(), path, testTownship, "officer", "secret-pass", Options{KDF: fastKDF, Now: now})
	if err != nil {
		t.Fatalf("create store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// recordChanges lists the changes of one record in clock order.
func recordChanges(ctx context.Context, s *Store, id string) ([]*Change, error) {
	return s.queryChanges(ctx, s.db, "WHERE entity_id = ? ORDER BY hlc, device", id)
}

// idWithCheck completes a 17-digit body with its GB 11643 check digit.
func idWithCheck(body string) string { return body + string(valid.CheckDigit(body)) }

func mustPut(t testing.TB, s *Store, kind Kind, id string, f map[string]string) string {
	t.Helper()
	id, err := s.Put(context.Background(), kind, id, f)
	if err != nil {
		t.Fatalf("put %s: %v", kind, err)
	}
	return id
}

func searchAll() search.Query { return search.Query{Limit: 1000} }
