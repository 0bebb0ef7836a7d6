package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"sync"
)

// BulkWriter runs the transactions of a bulk job (a ledger import) on a
// connection of its own whose commits never checkpoint the WAL; another
// connection copies the committed pages into the database file in the
// background while the next transaction is built. SQLite's automatic
// checkpoint ran on the committing connection: copying the pages and
// waiting for the disk held an import's writer for about half of its
// commit time (1.0 s of a 4.2 s import of 100,000 persons with it, 0.5 s
// without, timed around each commit).
//
// The WAL only starts over when a transaction begins with every page
// copied, which never happens while the checkpoint trails the writer by a
// transaction. So once the WAL holds more than bulkWALPages, a commit
// waits for the checkpoint it started to catch up, and the next
// transaction writes the WAL from its start again.
type BulkWriter struct {
	s     *Store
	w, ck *sql.Conn
	kick  chan struct{} // a checkpoint is wanted; closed by Close
	ended chan struct{} // the checkpoint goroutine has returned

	mu     sync.Mutex
	cond   *sync.Cond
	asked  int   // commits so far
	done   int   // commits the last finished checkpoint covered
	frames int   // WAL frames that checkpoint found
	err    error // the first checkpoint error
}

// bulkWALPages is how many WAL frames (pages) a bulk writer lets the WAL
// grow to before a commit waits for the checkpoint: twice the automatic
// checkpoint's threshold, so that the wait comes half as often. The WAL
// may pass it by what the checkpoint trails: a 100,000-person import
// through the CLI peaked at 166–191 MB of WAL with twice the threshold,
// 305 MB with four times, 83 MB before BulkWriter. (A variable so that
// tests can see the WAL start over.)
var bulkWALPages = 2 * 8192

// BeginBulk starts a bulk writer; Close must end it.
func (s *Store) BeginBulk(ctx context.Context) (*BulkWriter, error) {
	w, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("bulk writer: %w", err)
	}
	ck, err := s.db.Conn(ctx)
	if err == nil {
		_, err = w.ExecContext(ctx, "PRAGMA wal_autocheckpoint = 0")
	}
	if err != nil {
		w.Close()
		if ck != nil {
			ck.Close()
		}
		return nil, fmt.Errorf("bulk writer: %w", err)
	}
	b := &BulkWriter{s: s, w: w, ck: ck, kick: make(chan struct{}, 1), ended: make(chan struct{})}
	b.cond = sync.NewCond(&b.mu)
	go b.checkpoints()
	return b, nil
}

// Update is Store.Update on the bulk writer's connection.
func (b *BulkWriter) Update(ctx context.Context, fn func(*Tx) error) error {
	if err := b.s.updateAs(ctx, b.w, fn); err != nil {
		return err
	}
	b.mu.Lock()
	b.asked++
	commit, full := b.asked, b.frames > bulkWALPages
	b.mu.Unlock()
	select {
	case b.kick <- struct{}{}:
	default: // one is queued; it covers this commit too
	}
	if full {
		b.waitFor(commit)
	}
	return nil
}

// waitFor waits until a checkpoint begun after the commit has finished.
func (b *BulkWriter) waitFor(commit int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for b.done < commit { // the checkpoint goroutine records every run, failed or not
		b.cond.Wait()
	}
}

// checkpoints copies committed pages whenever a commit asks, until Close.
func (b *BulkWriter) checkpoints() {
	defer close(b.ended)
	for range b.kick {
		b.mu.Lock()
		commit := b.asked
		b.mu.Unlock()
		var busy, frames, copied int
		err := b.ck.QueryRowContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied)
		b.mu.Lock()
		b.done, b.frames = commit, frames
		if err != nil && b.err == nil {
			b.err = fmt.Errorf("checkpoint: %w", err)
		}
		b.cond.Broadcast()
		b.mu.Unlock()
	}
}

// Close waits for the last checkpoint, gives the writer's connection its
// automatic checkpoint back and returns both connections to the pool. It
// reports a checkpoint that failed: the pages stay in the WAL, safe, for a
// later checkpoint to copy.
func (b *BulkWriter) Close() error {
	close(b.kick)
	<-b.ended
	_, err := b.w.ExecContext(context.Background(), "PRAGMA wal_autocheckpoint = "+walCheckpointPages)
	if err != nil {
		// Not back in the pool without its automatic checkpoint.
		b.w.Raw(func(any) error { return driver.ErrBadConn })
	}
	b.w.Close()
	b.ck.Close()
	if b.err != nil {
		return b.err
	}
	return err
}
