package ledger

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"rehabdesk/internal/ledgertest"
	"rehabdesk/internal/storetest"
	"rehabdesk/store"
	"rehabdesk/store/search"
)

// testTownship is 新华路街道, 南明区, 贵阳市; its villages include 纪念塔社区.
const testTownship = "520102016"

func newStore(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Create(context.Background(), filepath.Join(t.TempDir(), "t.db"), testTownship, "officer", "secret-pass",
		store.Options{KDF: storetest.FastKDF})
	if err != nil {
		t.Fatalf("create store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func importBytes(t testing.TB, s *store.Store, data []byte) *Report {
	t.Helper()
	rep, err := ImportBytes(context.Background(), s, data, Options{})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return rep
}

func exportCSV(t testing.TB, s *store.Store) []byte {
	t.Helper()
	var b bytes.Buffer
	if _, err := Export(context.Background(), s, &b, CSV); err != nil {
		t.Fatalf("export: %v", err)
	}
	return b.Bytes()
}

func generated(t testing.TB, n int, seed int64) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := ledgertest.Generate(&b, n, seed); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func localChanges(t testing.TB, s *store.Store) int {
	t.Helper()
	n, err := s.CountLocalChanges(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func searchAll() search.Query { return search.Query{Limit: 0} }
