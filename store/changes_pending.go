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
// arguments of localInsertRows, row after row.
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
	if ch.Device != tx.s.device || ch.User != tx.user {
		return tx.AppendChange(ch, true) // not a row localInsertRows can write
	}
	args, err := localChangeRow(tx.seal, ch)
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

// localPerRow is the number of arguments of a pending change row.
const localPerRow = 6

// localChangeRow seals a change of this device and this transaction's user
// into its arguments of localInsertRows: those of changeInsert but the
// device and user, shared by the rows of a statement, and local (1). The
// payload is encoded straight into its sealed buffer and the clock is
// formatted once, for the row and the sealing's associated data.
func localChangeRow(seal *sealer, ch *Change) ([]any, error) {
	hlc := ch.HLC.String()
	payload, err := sealPayload(seal, ch.Fields, ch.Bases, changeADAt(hlc, ch.Device))
	if err != nil {
		return nil, err
	}
	return localRow(make([]any, localPerRow), hlc, string(ch.Kind), ch.EntityID, ch.Township, ch.PersonID, payload), nil
}

// localRow fills row, of localPerRow values, with localChangeRow's
// arguments for a payload already sealed with changeADAt(hlc, device).
// The kind, entity, township and person may be boxed once for many rows.
func localRow(row []any, hlc string, kind, entity, township, person any, payload []byte) []any {
	row[0], row[1], row[2], row[3], row[4], row[5] = hlc, kind, entity, township, person, payload
	return row
}

// flushChanges inserts the pending local change rows.
func (tx *Tx) flushChanges() error {
	if tx.pending.rows == 0 {
		return nil
	}
	// Staged sets (PutStaged) leave more than a statement's worth pending.
	err := tx.execShared(localInsertRows, changeRowsPerInsert, []any{tx.s.device, tx.user}, localPerRow, tx.pending.args)
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

// localInsertRows is changeInsert for n local rows: ?1 is the device and ?2
// the user, shared by the rows (each text argument is copied into SQLite's
// memory), then localChangeRow's arguments row after row (plain "?", see
// bulkInsertRows). OR FAIL, as for
// bulkInsertRows: SQLite then keeps no statement journal, and a failed
// flush fails the transaction anyway. A reading already logged fails it
// too: local readings are fresh (clock_shared.go), and a change dropped
// here would be an edit saved that never syncs.
func localInsertRows(n int) string {
	if n == changeRowsPerInsert {
		return localInsertFull
	}
	return buildLocalInsert(n)
}

func buildLocalInsert(n int) string {
	row := "(?1, ?2, 1" + strings.Repeat(", ?", localPerRow) + ")"
	return "INSERT OR FAIL INTO changes(device, user_name, local, hlc, kind, entity_id, township, person_id, payload) VALUES" +
		row + strings.Repeat(","+row, n-1)
}

var localInsertFull = buildLocalInsert(changeRowsPerInsert)
