package server

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	gosync "sync"
)

// db is the server's database, SQLite or PostgreSQL. Every query is written
// once, with SQLite's "?" placeholders and SQL both engines read the same
// way; for PostgreSQL db rewrites the placeholders to $1, $2… (cached per
// query text). It wraps *sql.DB rather than embedding it, so that no query
// can reach the driver without the rewrite.
type db struct {
	sql *sql.DB
	pg  bool
	// rebound caches rewritten queries: a push runs the same few texts
	// thousands of times.
	rebound gosync.Map
}

// writeLock is the PostgreSQL advisory lock every write transaction that
// hands out feed or audit positions takes first (see beginWrite).
const writeLock = 0x72656861 // "reha"

func (d *db) q(query string) string {
	if !d.pg {
		return query
	}
	if r, ok := d.rebound.Load(query); ok {
		return r.(string)
	}
	r := rebind(query)
	d.rebound.Store(query, r)
	return r
}

// rebind turns "?" placeholders into $1, $2…, leaving quoted text alone.
func rebind(q string) string {
	var b strings.Builder
	n := 0
	var quote byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func (d *db) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return d.sql.ExecContext(ctx, d.q(q), args...)
}

func (d *db) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return d.sql.QueryContext(ctx, d.q(q), args...)
}

func (d *db) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return d.sql.QueryRowContext(ctx, d.q(q), args...)
}

// Close closes the database.
func (d *db) Close() error { return d.sql.Close() }

// tx is a transaction of db, rewriting placeholders as db does.
type tx struct {
	db  *db
	sql *sql.Tx
}

// begin starts a transaction that hands out no feed or audit position.
func (d *db) begin(ctx context.Context) (*tx, error) {
	t, err := d.sql.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &tx{db: d, sql: t}, nil
}

// beginWrite starts a write transaction. SQLite lets one writer in at a
// time (_txlock=immediate). On PostgreSQL several countyd processes write
// at once, and feed and audit positions come from sequences: two
// transactions could commit out of sequence order, and a device that
// pulled up to 1005 would never see a 1003 committed after it. The
// advisory lock, taken before anything is read and held until commit, keeps
// one writer at a time across every process, so that positions commit in
// order and each pull's "highest position" is a safe cursor.
func (d *db) beginWrite(ctx context.Context) (*tx, error) {
	t, err := d.sql.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	if d.pg {
		if _, err := t.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", writeLock); err != nil {
			t.Rollback()
			return nil, err
		}
	}
	return &tx{db: d, sql: t}, nil
}

func (t *tx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.sql.ExecContext(ctx, t.db.q(q), args...)
}

func (t *tx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.sql.QueryContext(ctx, t.db.q(q), args...)
}

func (t *tx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return t.sql.QueryRowContext(ctx, t.db.q(q), args...)
}

func (t *tx) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	return t.sql.PrepareContext(ctx, t.db.q(q))
}

// Commit commits the transaction.
func (t *tx) Commit() error { return t.sql.Commit() }

// Rollback abandons the transaction; after Commit it does nothing.
func (t *tx) Rollback() error { return t.sql.Rollback() }
