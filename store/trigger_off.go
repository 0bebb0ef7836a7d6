package store

import (
	"database/sql"
	"errors"
	"fmt"
)

// withoutTrigger runs write with a trigger dropped for the length of the
// call, inside the transaction, then creates it again from the SQL
// sqlite_master held for it. A trigger made to stand aside (the
// index_dirty_pause row of migration 0008) still ran for every row: SQLite
// starts a trigger's sub-program before its WHEN clause can decline, and
// for the inserts of a bulk import that was about a seventh of SQLite's
// work (cachegrind instruction counts of BenchmarkWriteStaged). No other
// connection sees the trigger missing, and a rollback restores it. The
// schema change makes SQLite prepare this connection's statements again,
// which a flush of thousands of rows amortises; small writes keep the
// pause.
func (tx *Tx) withoutTrigger(name string, write func() error) error {
	var create string
	err := tx.tx.Tx.QueryRowContext(tx.ctx, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", name).Scan(&create)
	if errors.Is(err, sql.ErrNoRows) {
		return write()
	}
	if err != nil {
		return err
	}
	if _, err := tx.tx.Tx.ExecContext(tx.ctx, "DROP TRIGGER "+name); err != nil {
		return err
	}
	err = write()
	if _, cerr := tx.tx.Tx.ExecContext(tx.ctx, create); cerr != nil {
		return errors.Join(err, fmt.Errorf("restore trigger %s: %w", name, cerr))
	}
	return err
}
