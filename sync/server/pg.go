package server

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL through database/sql: one code path with SQLite

	"rehabdesk/internal/sqlitedb"
)

// pgMigrations are migrations/ rewritten for PostgreSQL, one for one and
// under the same names: BIGINT for INTEGER, BYTEA for BLOB, identity
// columns for AUTOINCREMENT, and every text column COLLATE "C", so that
// versions and clock readings compare byte by byte as in SQLite whatever
// the database's locale. TestEveryMigrationHasAPostgresCounterpart and
// openPG keep the two sets in step.
//
//go:embed pg/migrations/*.sql
var pgMigrations embed.FS

// pgMaxConns bounds one countyd's connections: PostgreSQL's default
// max_connections is 100, and several countyd share one database.
const pgMaxConns = 16

// migrateLock serialises the migrations of countyd processes started
// together on one database.
const migrateLock = 0x72656862

// openPG opens a PostgreSQL database by URL and migrates it.
func openPG(ctx context.Context, url string) (*db, error) {
	conn, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open PostgreSQL database: %w", err)
	}
	conn.SetMaxOpenConns(pgMaxConns)
	conn.SetMaxIdleConns(pgMaxConns)
	if err := conn.PingContext(ctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	d := &db{sql: conn, pg: true}
	if err := migratePG(ctx, conn); err != nil {
		conn.Close()
		return nil, err
	}
	return d, nil
}

// pgMigrationSet is the PostgreSQL migrations, checked against the SQLite
// ones: a table added for SQLite alone would be missing on PostgreSQL.
func pgMigrationSet() ([]sqlitedb.Migration, error) {
	sub, err := fs.Sub(pgMigrations, "pg")
	if err != nil {
		return nil, err
	}
	return pairedMigrations(migrations, sub)
}

// pairedMigrations loads both sets, each from its migrations/ folder, and
// returns the PostgreSQL one if every migration has its counterpart.
func pairedMigrations(liteFS, pgFS fs.FS) ([]sqlitedb.Migration, error) {
	pg, err := sqlitedb.Load(pgFS)
	if err != nil {
		return nil, fmt.Errorf("load PostgreSQL migrations: %w", err)
	}
	lite, err := sqlitedb.Load(liteFS)
	if err != nil {
		return nil, err
	}
	for i, m := range lite {
		if i >= len(pg) || pg[i].Name != m.Name {
			return nil, fmt.Errorf("migration %s has no PostgreSQL counterpart pg/migrations/%s", m.Name, m.Name)
		}
	}
	if len(pg) > len(lite) {
		return nil, fmt.Errorf("PostgreSQL migration %s has no SQLite counterpart", pg[len(lite)].Name)
	}
	return pg, nil
}

// migratePG applies the PostgreSQL migrations not applied yet, each in a
// transaction with the version it leads to, under an advisory lock held on
// one connection.
func migratePG(ctx context.Context, pool *sql.DB) error {
	ms, err := pgMigrationSet()
	if err != nil {
		return err
	}
	c, err := pool.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrateLock); err != nil {
		return fmt.Errorf("lock for migrations: %w", err)
	}
	defer c.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrateLock)
	if _, err := c.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)"); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	var current int
	err = c.QueryRowContext(ctx, "SELECT version FROM schema_version").Scan(&current)
	if errors.Is(err, sql.ErrNoRows) {
		_, err = c.ExecContext(ctx, "INSERT INTO schema_version(version) VALUES(0)")
	}
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if current > len(ms) {
		return fmt.Errorf("%w (schema %d, this build knows %d)", sqlitedb.ErrNewerSchema, current, len(ms))
	}
	for _, m := range ms[current:] {
		if err := applyPG(ctx, c, m); err != nil {
			return err
		}
	}
	return nil
}

func applyPG(ctx context.Context, c *sql.Conn, m sqlitedb.Migration) error {
	tx, err := c.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %s: %w", m.Name, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return fmt.Errorf("migration %s: %w", m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE schema_version SET version = $1", m.Version); err != nil {
		return fmt.Errorf("migration %s: %w", m.Name, err)
	}
	return tx.Commit()
}
