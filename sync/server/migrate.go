package server

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"rehabdesk/internal/sqlrows"
)

// ErrTargetNotEmpty refuses to copy a server into a PostgreSQL database
// that holds one already: two servers' feeds cannot be merged.
var ErrTargetNotEmpty = errors.New("the PostgreSQL database already holds a county server")

// CopyReport counts the rows copied, by table.
type CopyReport map[string]int

// CopyToPostgres moves a county server from its SQLite file to an empty
// PostgreSQL database: every table, row for row, in one PostgreSQL
// transaction. Ids, feed positions, device token hashes and the server's
// identity and epoch are kept as they are, and values stay sealed under
// the same key file, so devices carry on without re-enrolling, from their
// cursors, and the generation marker beside the key file stays right.
// countyd must be stopped: the SQLite file is read under its write lock.
func CopyToPostgres(ctx context.Context, sqlitePath, pgURL string) (CopyReport, error) {
	src, err := openDB(ctx, sqlitePath)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	dst, err := openPG(ctx, pgURL)
	if err != nil {
		return nil, err
	}
	defer dst.Close()
	rtx, err := src.sql.BeginTx(ctx, nil) // immediate: no countyd writes meanwhile
	if err != nil {
		return nil, err
	}
	defer rtx.Rollback()
	wtx, err := dst.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer wtx.Rollback()
	rep, err := copyTables(ctx, rtx, wtx)
	if err != nil {
		return nil, err
	}
	return rep, wtx.Commit()
}

func copyTables(ctx context.Context, src *sql.Tx, dst *tx) (CopyReport, error) {
	tables, err := sqlrows.Strings(src.QueryContext(ctx, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"))
	if err != nil {
		return nil, err
	}
	if err := checkEmpty(ctx, dst, tables); err != nil {
		return nil, err
	}
	rep := CopyReport{}
	// changes before feed, which refers to it.
	for _, t := range orderForCopy(tables) {
		if rep[t], err = copyTable(ctx, src, dst, t); err != nil {
			return nil, fmt.Errorf("copy table %s: %w", t, err)
		}
	}
	return rep, restartIdentities(ctx, dst)
}

func orderForCopy(tables []string) []string {
	out := []string{}
	for _, t := range tables {
		if t != "feed" {
			out = append(out, t)
		}
	}
	if len(out) < len(tables) {
		out = append(out, "feed")
	}
	return out
}

// checkEmpty refuses a target that holds any row of the server's tables.
func checkEmpty(ctx context.Context, dst *tx, tables []string) error {
	for _, t := range tables {
		var n int
		if err := dst.QueryRowContext(ctx, "SELECT count(*) FROM "+quoteIdent(t)).Scan(&n); err != nil {
			return fmt.Errorf("table %s on PostgreSQL: %w", t, err)
		}
		if n > 0 {
			return fmt.Errorf("%w (table %s has %d rows)", ErrTargetNotEmpty, t, n)
		}
	}
	return nil
}

// copyTable copies one table's rows, column by column as SQLite names them.
func copyTable(ctx context.Context, src *sql.Tx, dst *tx, table string) (int, error) {
	binary, err := byteaColumns(ctx, dst, table)
	if err != nil {
		return 0, err
	}
	cols, err := sqlrows.Strings(src.QueryContext(ctx, "SELECT name FROM pragma_table_info(?) ORDER BY cid", table))
	if err != nil {
		return 0, err
	}
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = quoteIdent(c)
	}
	list := strings.Join(quoted, ", ")
	rows, err := src.QueryContext(ctx, "SELECT "+list+" FROM "+quoteIdent(table))
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	ins, err := dst.PrepareContext(ctx, "INSERT INTO "+quoteIdent(table)+"("+list+") VALUES("+placeholders(len(cols))+")")
	if err != nil {
		return 0, err
	}
	defer ins.Close()
	n := 0
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, c := range cols {
			vals[i] = forPostgres(vals[i], binary[c])
		}
		if _, err := ins.ExecContext(ctx, vals...); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// forPostgres gives a SQLite value the Go type its PostgreSQL column takes:
// SQLite keeps text in a BLOB column and bytes in a TEXT one as they came.
func forPostgres(v any, bytea bool) any {
	switch x := v.(type) {
	case string:
		if bytea {
			return []byte(x)
		}
	case []byte:
		if !bytea {
			return string(x)
		}
	}
	return v
}

// byteaColumns names the BYTEA columns of a PostgreSQL table.
func byteaColumns(ctx context.Context, dst *tx, table string) (map[string]bool, error) {
	names, err := sqlrows.Strings(dst.QueryContext(ctx, `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = ? AND data_type = 'bytea'`, table))
	out := map[string]bool{}
	for _, n := range names {
		out[n] = true
	}
	return out, err
}

// restartIdentities moves every identity sequence past the rows copied
// with their own ids, so that new changes, feed and audit entries are
// numbered after the old ones.
func restartIdentities(ctx context.Context, dst *tx) error {
	rows, err := dst.QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND is_identity = 'YES'`)
	if err != nil {
		return err
	}
	var pairs [][2]string
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			rows.Close()
			return err
		}
		pairs = append(pairs, [2]string{t, c})
	}
	rows.Close()
	for _, p := range pairs {
		q := fmt.Sprintf("SELECT setval(pg_get_serial_sequence(?, ?), coalesce(max(%s), 0) + 1, false) FROM %s", quoteIdent(p[1]), quoteIdent(p[0]))
		if _, err := dst.ExecContext(ctx, q, p[0], p[1]); err != nil {
			return fmt.Errorf("restart numbering of %s.%s: %w", p[0], p[1], err)
		}
	}
	return rows.Err()
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
