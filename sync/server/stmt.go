package server

import (
	"context"
	"database/sql"
)

// ptx is a write transaction (a push page, an audit page). On SQLite it
// prepares each statement once: a push runs the same dozen statements for
// every change of a page, and compiling them each time cost more than
// running them. On PostgreSQL it holds back the statements whose result
// nobody reads and sends them in one pipeline with the next query, or with
// the commit (see pgPipe): one round trip per read instead of one per
// statement, while the transaction holds the write lock.
type ptx struct {
	ctx   context.Context
	tx    *tx // SQLite
	stmts map[string]*sql.Stmt
	pg    *pgPipe // PostgreSQL
}

// writeTx runs fn in a write transaction (see beginWrite) and commits it
// when fn returns nil.
func (d *db) writeTx(ctx context.Context, fn func(*ptx) error) error {
	if d.pg {
		return d.pgWriteTx(ctx, fn)
	}
	t, err := d.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer t.Rollback()
	p := &ptx{ctx: ctx, tx: t, stmts: map[string]*sql.Stmt{}}
	defer p.close()
	if err := fn(p); err != nil {
		return err
	}
	return t.Commit()
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

// exec runs a statement whose result is not read. On PostgreSQL its error
// may come with a later read or the commit; either fails the transaction.
func (p *ptx) exec(q string, args ...any) error {
	if p.pg != nil {
		p.pg.queue(p.tx.db.q(q), args)
		return nil
	}
	s, err := p.stmt(q)
	if err != nil {
		return err
	}
	_, err = s.ExecContext(p.ctx, args...)
	return err
}

// queryRow runs a one-row query.
func (p *ptx) queryRow(q string, args ...any) rowScanner {
	if p.pg != nil {
		return pgRow{p: p.pg, q: p.tx.db.q(q), args: args}
	}
	s, err := p.stmt(q)
	if err != nil {
		return errRow{err}
	}
	return s.QueryRowContext(p.ctx, args...)
}

// each runs a query and calls row for each row it returns, with the
// function that scans that row.
func (p *ptx) each(q string, args []any, row func(scan func(...any) error) error) error {
	if p.pg != nil {
		return p.pg.each(p.tx.db.q(q), args, row)
	}
	s, err := p.stmt(q)
	if err != nil {
		return err
	}
	rows, err := s.QueryContext(p.ctx, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// strings runs a one-column query.
func (p *ptx) strings(q string, args ...any) ([]string, error) {
	var out []string
	err := p.each(q, args, func(scan func(...any) error) error {
		var v string
		err := scan(&v)
		out = append(out, v)
		return err
	})
	return out, err
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
