package sqlitedb

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	_ "modernc.org/sqlite"
)

func files(names ...string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for _, n := range names {
		table := strings.TrimSuffix(strings.SplitN(n, "_", 2)[1], ".sql")
		fsys["migrations/"+n] = &fstest.MapFile{Data: []byte("CREATE TABLE " + table + " (x);")}
	}
	return fsys
}

func open(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestTwoMigrationsWithOneNumberAreRefused(t *testing.T) {
	for _, set := range [][]string{
		{"0001_a.sql", "0002_b.sql", "0002_c.sql"},
		{"0001_a.sql", "0003_c.sql"},
		{"0001_a.sql", "x_b.sql"},
	} {
		if _, err := Load(files(set...)); err == nil {
			t.Errorf("Load(%v) accepted a repeated, missing or unnumbered migration", set)
		}
	}
}

func TestMigrateAppliesOnlyWhatIsNewAndRefusesANewerFile(t *testing.T) {
	ctx, db := context.Background(), open(t)
	if err := Migrate(ctx, db, files("0001_a.sql")); err != nil {
		t.Fatal(err)
	}
	if err := Migrate(ctx, db, files("0001_a.sql", "0002_b.sql")); err != nil {
		t.Fatalf("second migration: %v (the first must not run twice)", err)
	}
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != 2 {
		t.Fatalf("user_version = %d, %v; want 2", v, err)
	}
	if err := Migrate(ctx, db, files("0001_a.sql")); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("an older build opening a newer file: %v, want ErrNewerSchema", err)
	}
}
