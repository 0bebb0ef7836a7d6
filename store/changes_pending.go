package store

import (
	"fmt"
	"strings"
)

// changeRowsPerInsert is how many local change rows one INSERT writes. A
// bulk write (a ledger import) logs a change per record; inserting them
// fifty at a time spares most of the per-statement work of SQLite and
// database/sql.
const changeRowsPerInsert = 50

// pendingChanges are local change rows appended but not yet inserted: the
// arguments of changeInsert, row after row.
type pendingChanges struct {
	args []any
	rows int
}

// appendLocal logs a change made on this device. The row is inserted with
// the next ones (multi-row INSERT), always inside this transaction: before
// it commits, before any read of the change log (changeAt, seenBy, merges)
// and before any other change is appended, so that the log reads and
// orders as if each row had been inserted at once. Local changes have a
// fresh clock reading, so none is a duplicate and ch.Seq is not needed.
func (tx *Tx) appendLocal(ch *Change) error {
	args, err := tx.changeArgs(ch, true)
	if err != nil {
		return err
	}
	tx.pending.args = append(tx.pending.args, args...)
	tx.pending.rows++
	tx.changes++
	if tx.pending.rows >= changeRowsPerInsert {
		return tx.flushPending()
	}
	return nil
}

// flushChanges inserts the pending local change rows.
func (tx *Tx) flushChanges() error {
	if tx.pending.rows == 0 {
		return nil
	}
	// Staged sets (PutStaged) leave more than a statement's worth pending.
	err := tx.execRows(changeInsertRows, changeRowsPerInsert, 9, tx.pending.args)
	clear(tx.pending.args)
	tx.pending.args, tx.pending.rows = tx.pending.args[:0], 0
	if err != nil {
		return fmt.Errorf("log change: %w", err)
	}
	return nil
}

// changeAt is Store.changeAt inside the transaction, after its pending rows.
func (tx *Tx) changeAt(version string) (*Change, error) {
	if err := tx.flushPending(); err != nil {
		return nil, err
	}
	return tx.s.changeAt(tx.ctx, tx.tx, version)
}

// changeInsertRows is changeInsert for n rows.
func changeInsertRows(n int) string {
	switch n {
	case 1:
		return changeInsert
	case changeRowsPerInsert:
		return changeInsertFull
	}
	return buildChangeInsert(n)
}

// buildChangeInsert writes changeInsert with n rows of values, OR FAIL: as
// for bulkInsertRows, SQLite then keeps no statement journal, and a failed
// flush fails the transaction anyway.
func buildChangeInsert(n int) string {
	head, tail, _ := strings.Cut(changeInsert, "VALUES(?,?,?,?,?,?,?,?,?)")
	head = strings.Replace(head, "INSERT INTO", "INSERT OR FAIL INTO", 1)
	var b strings.Builder
	b.WriteString(head)
	b.WriteString("VALUES")
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?,?,?,?)")
	}
	b.WriteString(tail)
	return b.String()
}

var changeInsertFull = buildChangeInsert(changeRowsPerInsert)
