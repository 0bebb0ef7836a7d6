package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// recordRowsPerInsert is how many record rows one INSERT writes: a bulk
// write (a ledger import) saves two records per row, and inserting them
// fifty at a time spares most of the per-statement work of SQLite and
// database/sql.
const recordRowsPerInsert = 50

// pendingRecords are records a local write saved but not yet inserted:
// the arguments of recordUpsert, row after row.
type pendingRecords struct {
	args     []any
	rows     int
	updates  bool            // a pending row may change a row already in the database
	keys     map[string]bool // natural keys of the pending rows
	inserted map[string]bool // records created in this transaction with a row written or pending
	bulk     bulkRecords     // rows of staged sets (PutStaged), new records only
	err      error           // a failed flush, returned at commit
}

// saveLocal saves a record a local write changed. The row is inserted with
// the next ones (multi-row upsert), always inside this transaction and
// before any other statement runs in it (flushTx, cachedTx, stmt users
// flush first), so every read sees it as if it had been saved at once.
// The one exception is the uniqueness lookup of ID numbers, which answers
// from the pending rows' natural keys when they only add new records.
func (tx *Tx) saveLocal(r *Record) error {
	args, err := tx.recordArgs(r)
	if err != nil {
		return err
	}
	p := &tx.records
	if p.keys == nil {
		p.keys, p.inserted = map[string]bool{}, map[string]bool{}
	}
	if tx.created[r.ID] && !p.inserted[r.ID] {
		p.inserted[r.ID] = true
	} else {
		p.updates = true
	}
	if nk, _ := args[len(args)-1].(string); nk != "" {
		p.keys[nk] = true
	}
	p.args = append(p.args, args...)
	p.rows++
	if err := tx.saved(r, nil); err != nil {
		return err
	}
	if p.rows >= recordRowsPerInsert {
		return tx.flushPending()
	}
	return nil
}

// flushPending inserts the pending record rows, then the pending change
// rows. After a failure the transaction cannot commit.
func (tx *Tx) flushPending() error {
	if tx.records.err != nil {
		return tx.records.err
	}
	err := tx.flushRecords()
	if err == nil {
		err = tx.flushChanges()
	}
	tx.records.err = err
	return err
}

func (tx *Tx) flushRecords() error {
	p := &tx.records
	if err := tx.flushBulk(); err != nil {
		return err
	}
	if p.rows == 0 {
		clear(p.keys)
		return nil
	}
	st, err := tx.stmt(recordUpsertRows(p.rows))
	if err == nil {
		_, err = st.ExecContext(tx.ctx, p.args...)
	}
	clear(p.args)
	p.args, p.rows, p.updates = p.args[:0], 0, false
	clear(p.keys)
	if err != nil {
		return fmt.Errorf("save records: %w", err)
	}
	return nil
}

// mustFlushFor reports whether the uniqueness lookup of natural key nk
// needs the pending rows in the database first: when one of them has that
// key or may change a row already there (staged rows, tx.records.bulk,
// only add new records).
func (tx *Tx) mustFlushFor(nk string) bool {
	p := &tx.records
	return p.err != nil || p.rows > 0 && p.updates || p.keys[nk]
}

// recordUpsertRows is recordUpsert for n rows.
func recordUpsertRows(n int) string {
	switch n {
	case 1:
		return recordUpsert
	case recordRowsPerInsert:
		return recordUpsertFull
	}
	return buildRecordUpsert(n)
}

func buildRecordUpsert(n int) string {
	const one = "VALUES(?,?,?,?,?,?,?,?,?,?)"
	head, tail, _ := strings.Cut(recordUpsert, one)
	var b strings.Builder
	b.WriteString(head)
	b.WriteString("VALUES")
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(one[len("VALUES"):])
	}
	b.WriteString(tail)
	return b.String()
}

var recordUpsertFull = buildRecordUpsert(recordRowsPerInsert)

// flushTx is the transaction's *sql.Tx: every statement run through it
// first inserts the rows the transaction keeps pending.
type flushTx struct {
	*sql.Tx
	tx *Tx
}

func (f flushTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := f.tx.flushPending(); err != nil {
		return nil, err
	}
	return f.Tx.ExecContext(ctx, query, args...)
}

func (f flushTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := f.tx.flushPending(); err != nil {
		return nil, err
	}
	return f.Tx.QueryContext(ctx, query, args...)
}

// QueryRowContext keeps a flush error for the commit: a Row cannot carry it.
func (f flushTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	f.tx.flushPending()
	return f.Tx.QueryRowContext(ctx, query, args...)
}

// PrepareContext flushes too: the statement may be run right away.
func (f flushTx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	if err := f.tx.flushPending(); err != nil {
		return nil, err
	}
	return f.Tx.PrepareContext(ctx, query)
}

// StmtContext flushes too.
func (f flushTx) StmtContext(ctx context.Context, st *sql.Stmt) *sql.Stmt {
	f.tx.flushPending()
	return f.Tx.StmtContext(ctx, st)
}
