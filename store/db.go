package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // pure Go SQLite driver, registered as "sqlite"

	"rehabdesk/internal/sqlitedb"
	"rehabdesk/internal/sqlrows"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// ErrNewerSchema is returned when the database was written by a newer
// RehabDesk; it is refused untouched rather than risk damaging it.
var ErrNewerSchema = sqlitedb.ErrNewerSchema

// ErrNotInitialized is returned when a database has no township yet.
var ErrNotInitialized = errors.New("database is not initialized for a township")

// openDB opens (creating if needed) the SQLite file with WAL, foreign keys and
// a busy timeout, and brings its schema up to date.
func openDB(ctx context.Context, path string) (*sql.DB, error) {
	if err := createWithPageSize(ctx, path); err != nil {
		return nil, err
	}
	db, err := openRaw(path)
	if err != nil {
		return nil, err
	}
	if err := checkWAL(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	if err := sqlitedb.Migrate(ctx, db, migrationFS); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// pageSize is the page size of new files. A person's row (sealed fields
// and their versions, about 1.4 KB) does not fit on a 4 KB page of the
// WITHOUT ROWID records table, which keeps about 1 KB of a row and puts the
// rest on an overflow page: a ledger of 2,000 persons made a 14 MB file
// with 4 KB pages and an 8 MB one with 8 KB pages, and an import writes
// every page twice (WAL, then checkpoint). The page size of an existing
// file cannot change in WAL mode; old files keep theirs.
const pageSize = "8192"

// createWithPageSize creates a missing database file with pageSize pages
// (set before journal_mode, which openRaw's settings apply first, fixes it).
func createWithPageSize(ctx context.Context, path string) error {
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("create database folder: %w", err)
		}
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return fmt.Errorf("create database: %w", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "PRAGMA page_size = "+pageSize+"; PRAGMA journal_mode = wal"); err != nil {
		return fmt.Errorf("create database: %w", err)
	}
	return nil
}

// walCheckpointPages is how large the WAL grows, in pages, before a
// commit copies it into the database file (SQLite's default is 1,000).
// Each of those checkpoints waits for two fsyncs, and a page changed
// between two of them is copied again: with the default, the fsyncs of a
// 100,000-person import held its writer for about 2 of its 8.5 seconds
// (measured against synchronous=off, which is not safe to use). With 8 KB
// pages the WAL now reaches 64 MB before a checkpoint; normal use never
// comes near it between two openings, and closing the database
// checkpoints and removes the WAL as before.
const walCheckpointPages = "8192"

// walSizeLimit is the size, in bytes, the WAL file is cut back to when it
// starts over: a bulk import lets it grow past walCheckpointPages
// (BulkWriter; 191 MB for 100,000 persons), and without a limit the file
// kept that size on disk until the database was closed. 64 MB is what
// walCheckpointPages of 8 KB pages fill.
const walSizeLimit = "67108864"

// busyTimeout is how long, in milliseconds, a write waits for another
// writer of the database (the GUI while a command-line import commits a
// batch, say) before giving up (IsBusy). A batch of a bulk import
// holds the write lock for its whole transaction: with 5 s, the GUI's
// save failed with "database is locked" while an import ran under the
// race detector on a loaded machine (TestStoreOpenWritingWhileACommand-
// LineImportRuns); a slow township laptop is not far from that.
var busyTimeout = "30000" // a variable so that a test need not wait for it

// openRaw opens the file with the connection settings every use needs.
func openRaw(path string) (*sql.DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create database folder: %w", err)
		}
	}
	q := url.Values{}
	for _, p := range []string{"busy_timeout(" + busyTimeout + ")", "journal_mode(wal)", "foreign_keys(1)", "synchronous(normal)", "cache_size(-32768)", "temp_store(memory)",
		"wal_autocheckpoint(" + walCheckpointPages + ")", "journal_size_limit(" + walSizeLimit + ")"} {
		q.Add("_pragma", p)
	}
	q.Add("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return db, nil
}

// checkWAL confirms that the file is really in WAL mode: a read-only medium or
// an old journal can silently refuse it, and crash safety depends on it.
func checkWAL(ctx context.Context, db *sql.DB) error {
	var mode string
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("open database: journal mode is %q, want wal", mode)
	}
	return nil
}

// SchemaVersion is the schema version this build writes.
func SchemaVersion() int {
	v, err := sqlitedb.Latest(migrationFS)
	if err != nil {
		return 0
	}
	return v
}

// metaGet reads one meta value; a missing key gives "".
func metaGet(ctx context.Context, q querier, key string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

func metaSet(ctx context.Context, q querier, key, value string) error {
	_, err := q.ExecContext(ctx, "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value)
	return err
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// queryStrings runs a one-column query and returns its values in order.
func queryStrings(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	return sqlrows.Strings(q.QueryContext(ctx, query, args...))
}
