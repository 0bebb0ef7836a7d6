package server

import (
	"context"
	"database/sql"
)

// ptx is a write transaction that prepares each statement once: a push
// runs the same dozen statements for every change of a page, and compiling
// them each time cost more than running them.
type ptx struct {
	ctx   context.Context
	tx    *tx
	stmts map[string]*sql.Stmt
}

func newPtx(ctx context.Context, t *tx) *ptx {
	return &ptx{ctx: ctx, tx: t, stmts: map[string]*sql.Stmt{}}
}

func (p *ptx) stmt(q string) (*sql.Stmt, error) {
	if s, ok := p.stmts[q]; ok {
		return s, nil
	}
	s, err := p.tx.PrepareContext(p.ctx, q)
	if err != nil {
		return nil, err
	}
	p.stmts[q] = s
	return s, nil
}

// ExecContext runs a prepared statement; ctx is the transaction's.
func (p *ptx) ExecContext(_ context.Context, q string, args ...any) (sql.Result, error) {
	s, err := p.stmt(q)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(p.ctx, args...)
}

// QueryRowContext runs a prepared one-row query.
func (p *ptx) QueryRowContext(_ context.Context, q string, args ...any) rowScanner {
	s, err := p.stmt(q)
	if err != nil {
		return errRow{err}
	}
	return s.QueryRowContext(p.ctx, args...)
}

type rowScanner interface{ Scan(...any) error }

type errRow struct{ err error }

func (e errRow) Scan(...any) error { return e.err }

// close releases the prepared statements.
func (p *ptx) close() {
	for _, s := range p.stmts {
		s.Close()
	}
}
