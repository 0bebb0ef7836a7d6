package store

import (
	"context"
	"database/sql"
)

// stmt returns query prepared once in this transaction. A batch of a bulk
// write (a ledger import of a thousand persons) runs the same few statements
// thousands of times, and parsing each anew cost a third of the time.
// database/sql closes the statements when the transaction ends.
func (tx *Tx) stmt(query string) (*sql.Stmt, error) {
	if st := tx.stmts[query]; st != nil {
		return st, nil
	}
	st, err := tx.tx.Tx.PrepareContext(tx.ctx, query)
	if err != nil {
		return nil, err
	}
	if tx.stmts == nil {
		tx.stmts = map[string]*sql.Stmt{}
	}
	tx.stmts[query] = st
	return st, nil
}

// q is the transaction as a querier whose statements are prepared once.
func (tx *Tx) q() querier { return cachedTx{tx} }

type cachedTx struct{ tx *Tx }

// ExecContext runs query as a statement prepared once per transaction.
func (c cachedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := c.tx.flushPending(); err != nil {
		return nil, err
	}
	st, err := c.tx.stmt(query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// QueryContext runs query as a statement prepared once per transaction.
func (c cachedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := c.tx.flushPending(); err != nil {
		return nil, err
	}
	st, err := c.tx.stmt(query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// QueryRowContext falls back to an unprepared query when preparing fails,
// so that the error reaches the caller through Row.Scan as usual.
func (c cachedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	c.tx.flushPending() // an error is kept and fails the commit
	st, err := c.tx.stmt(query)
	if err != nil {
		return c.tx.tx.Tx.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}
