package server

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // pure Go SQLite: countyd builds without cgo

	"rehabdesk/internal/sqlitedb"
)

//go:embed migrations/*.sql
var migrations embed.FS

// openDB opens the server's SQLite file in WAL mode and migrates it.
func openDB(ctx context.Context, path string) (*db, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create database folder: %w", err)
	}
	if err := ownerOnly(path); err != nil {
		return nil, err
	}
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(wal)", "foreign_keys(1)", "synchronous(normal)"} {
		q.Add("_pragma", p)
	}
	q.Add("_txlock", "immediate")
	conn, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open server database: %w", err)
	}
	var mode string
	if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || !strings.EqualFold(mode, "wal") {
		conn.Close()
		return nil, fmt.Errorf("open server database %s: journal mode %q: %v", path, mode, err)
	}
	if err := sqlitedb.Migrate(ctx, conn, migrations); err != nil {
		conn.Close()
		return nil, err
	}
	return &db{sql: conn}, nil
}

// ownerOnly creates the database file, or narrows an existing one and its
// WAL and shared-memory files, to mode 0600: they hold every township's
// records. SQLite gives the -wal and -shm files it creates the mode of the
// database file.
func ownerOnly(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open server database: %w", err)
	}
	f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := narrowMode(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("server database mode: %w", err)
		}
	}
	return nil
}
