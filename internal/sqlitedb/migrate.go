// Package sqlitedb holds what the township store and the county server share
// about their SQLite files: the schema migrations, numbered NNNN_name.sql and
// applied in order, each in its own transaction with PRAGMA user_version.
package sqlitedb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// ErrNewerSchema is returned when the file was written by a newer build: it
// is left untouched, so the newer build can still open it.
var ErrNewerSchema = errors.New("database was written by a newer version of RehabDesk")

// Migration is one numbered schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Load reads migrations/NNNN_name.sql from fsys in version order. The numbers
// must run 1, 2, 3… without a gap or a repeat: two changes that both took the
// same number would leave a file migrated by one of them marked as having both.
func Load(fsys fs.FS) ([]Migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	ms := make([]Migration, 0, len(names))
	for _, name := range names {
		m, err := readMigration(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, m)
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %04d (numbers must run 1, 2, 3… with no gap or repeat)", m.Name, i+1)
		}
	}
	return ms, nil
}

func readMigration(fsys fs.FS, name string) (Migration, error) {
	base := path.Base(name)
	v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
	if err != nil {
		return Migration{}, fmt.Errorf("migration %s: name must start with a number", base)
	}
	body, err := fs.ReadFile(fsys, name)
	if err != nil {
		return Migration{}, err
	}
	return Migration{Version: v, Name: base, SQL: string(body)}, nil
}

// Latest is the schema version the migrations in fsys lead to (0 for none).
func Latest(fsys fs.FS) (int, error) {
	ms, err := Load(fsys)
	if err != nil || len(ms) == 0 {
		return 0, err
	}
	return ms[len(ms)-1].Version, nil
}

// Migrate applies every migration newer than the file's user_version, each in
// its own transaction together with the version bump. A file newer than the
// migrations is refused with ErrNewerSchema and left as it is.
func Migrate(ctx context.Context, db *sql.DB, fsys fs.FS) error {
	ms, err := Load(fsys)
	if err != nil {
		return fmt.Errorf("load migrations: %w", err)
	}
	var current int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if current > len(ms) {
		return fmt.Errorf("%w (schema %d, this build knows %d)", ErrNewerSchema, current, len(ms))
	}
	for _, m := range ms[current:] {
		if err := apply(ctx, db, m); err != nil {
			return err
		}
	}
	return nil
}

func apply(ctx context.Context, db *sql.DB, m Migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %s: %w", m.Name, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return fmt.Errorf("migration %s: %w", m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.Version)); err != nil {
		return fmt.Errorf("migration %s: %w", m.Name, err)
	}
	return tx.Commit()
}
