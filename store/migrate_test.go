package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"rehabdesk/internal/sqlitedb"
)

func TestMigrationsUpgradeAnOldDatabaseKeepingData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	v1 := fstest.MapFS{"migrations/0001_a.sql": {Data: []byte("CREATE TABLE t(x TEXT); INSERT INTO t VALUES('kept');")}}
	db, err := openDB(ctx, path) // current schema first, then a fake history on top
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	os.Remove(path)
	dbOld, err := openRaw(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlitedb.Migrate(ctx, dbOld, v1); err != nil {
		t.Fatal(err)
	}
	v2 := fstest.MapFS{
		"migrations/0001_a.sql": v1["migrations/0001_a.sql"],
		"migrations/0002_b.sql": {Data: []byte("ALTER TABLE t ADD COLUMN y TEXT NOT NULL DEFAULT 'new';")},
	}
	if err := sqlitedb.Migrate(ctx, dbOld, v2); err != nil {
		t.Fatal(err)
	}
	var x, y string
	var ver int
	if err := dbOld.QueryRow("SELECT x, y FROM t").Scan(&x, &y); err != nil {
		t.Fatal(err)
	}
	if err := dbOld.QueryRow("PRAGMA user_version").Scan(&ver); err != nil {
		t.Fatal(err)
	}
	if x != "kept" || y != "new" || ver != 2 {
		t.Fatalf("after upgrade: x=%q y=%q version=%d", x, y, ver)
	}
	// A failing migration leaves the previous version intact.
	v3 := fstest.MapFS{"migrations/0003_c.sql": {Data: []byte("ALTER TABLE t ADD COLUMN z TEXT; SELECT * FROM nope;")}}
	if err := sqlitedb.Migrate(ctx, dbOld, v3); err == nil {
		t.Fatal("broken migration succeeded")
	}
	if err := dbOld.QueryRow("PRAGMA user_version").Scan(&ver); err != nil {
		t.Fatal(err)
	}
	if _, err := dbOld.Exec("SELECT z FROM t"); err == nil || ver != 2 {
		t.Fatalf("broken migration left partial changes (version %d)", ver)
	}
	dbOld.Close()
}

func TestNewerDatabaseIsRefusedUntouched(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	s := newTestStoreAt(t, path, nil)
	s.Close()
	db, err := openRaw(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before, _ := os.ReadFile(path)
	_, err = Open(ctx, path, Options{})
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("got %v, want ErrNewerSchema", err)
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Fatal("refused database file was modified")
	}
}
