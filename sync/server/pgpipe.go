package server

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// pgPipe is a PostgreSQL write transaction that pipelines: statements
// whose result nobody reads wait in a batch, which goes out with the next
// query or with the commit, one round trip for all. The statements still
// run in the order they were issued, so a read sees every write before it.
// pgx prepares each statement text once per connection and keeps it, so
// no page prepares its statements again.
type pgPipe struct {
	ctx     context.Context
	conn    *pgx.Conn
	pending pgx.Batch
	sent    bool // BEGIN went out: a failure must roll back
}

// pgWriteTx runs fn in a transaction on one connection of the pool,
// driven through pgx itself: database/sql has no pipelining.
func (d *db) pgWriteTx(ctx context.Context, fn func(*ptx) error) error {
	c, err := d.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	return c.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("PostgreSQL connection of type %T", dc)
		}
		pipe := &pgPipe{ctx: ctx, conn: sc.Conn()}
		return pipe.run(&ptx{ctx: ctx, tx: &tx{db: d}, pg: pipe}, fn)
	})
}

// run begins, takes the write lock (see beginWrite), runs fn and commits;
// begin and lock travel with fn's first query.
func (p *pgPipe) run(t *ptx, fn func(*ptx) error) error {
	p.queue("BEGIN", nil)
	p.queue("SELECT pg_advisory_xact_lock($1)", []any{int64(writeLock)})
	err := fn(t)
	if err == nil {
		p.queue("COMMIT", nil)
		if err = p.flush(); err == nil {
			return nil
		}
	}
	p.pending = pgx.Batch{}
	if !p.sent {
		return err
	}
	if _, rerr := p.conn.Exec(context.WithoutCancel(p.ctx), "ROLLBACK"); rerr != nil {
		// The pool drops a connection left inside a transaction.
		return errors.Join(err, rerr)
	}
	return err
}

func (p *pgPipe) queue(q string, args []any) { p.pending.Queue(q, args...) }

// send sends what waits, then q (when not empty) whose result read handles.
func (p *pgPipe) send(q string, args []any, read func(pgx.BatchResults) error) error {
	b := p.pending
	p.pending, p.sent = pgx.Batch{}, true
	if q != "" {
		b.Queue(q, args...).Fn = read
	}
	return p.conn.SendBatch(p.ctx, &b).Close()
}

// flush sends the statements waiting.
func (p *pgPipe) flush() error { return p.send("", nil, nil) }

// each runs a query after what waits and calls row for each of its rows.
func (p *pgPipe) each(q string, args []any, row func(scan func(...any) error) error) error {
	return p.send(q, args, func(br pgx.BatchResults) error {
		rows, err := br.Query()
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
	})
}

// pgRow is a one-row query sent when it is scanned.
type pgRow struct {
	p    *pgPipe
	q    string
	args []any
}

// Scan sends the query and reads its row. "No rows" is an answer, not a
// failure of the batch: pgx forgets the prepared statements of a batch
// that fails, and preparing them again on every page cost more than the
// pipelining saved.
func (r pgRow) Scan(dest ...any) error {
	var noRows error
	err := r.p.send(r.q, r.args, func(br pgx.BatchResults) error {
		err := br.QueryRow().Scan(dest...)
		if errors.Is(err, pgx.ErrNoRows) {
			noRows, err = err, nil
		}
		return err
	})
	return errors.Join(err, noRows)
}
