package store

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestDatabaseOfTheFirstReleaseOpensAndKeepsItsData: installing a newer
// RehabDesk over 0.1.0 keeps the township's database and migrates it.
// testdata/upgrade/rehabdesk-0.1.0.db was written by the store of release
// 0.1.0 (schema 11, commit aa8bd9e): two persons with a measure each,
// officer / upgrade-fixture-pass.
func TestDatabaseOfTheFirstReleaseOpensAndKeepsItsData(t *testing.T) {
	ctx := context.Background()
	old, err := os.ReadFile("testdata/upgrade/rehabdesk-0.1.0.db")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "rehabdesk.db")
	if err := os.WriteFile(path, old, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := Open(ctx, path, Options{KDF: fastKDF})
	if err != nil {
		t.Fatalf("open the 0.1.0 database: %v", err)
	}
	defer st.Close()
	if err := st.Unlock(ctx, "officer", "upgrade-fixture-pass"); err != nil {
		t.Fatalf("sign in to the 0.1.0 database: %v", err)
	}
	var v int
	if err := st.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil || v != SchemaVersion() || v < 11 {
		t.Fatalf("schema after opening: %d, %v; want this build's %d", v, err, SchemaVersion())
	}
	persons, err := st.List(ctx, KindPerson, ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range persons {
		names = append(names, p.Fields["name"])
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"张三", "阿依古丽·买买提"}) {
		t.Fatalf("persons after the upgrade: %q", names)
	}
	if _, err := st.Put(ctx, KindVisit, "", map[string]string{"person": persons[0].ID, "date": "2026-12-01", "visitor_kind": "staff", "mode": "home"}); err != nil {
		t.Fatalf("a write after the upgrade: %v", err)
	}
}
