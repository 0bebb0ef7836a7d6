package ledger

import (
	"context"
	"runtime"
	"sync"

	"rehabdesk/store"
)

// batch is one transaction's rows, with the new persons among them staged
// (normalised, validated, encoded and sealed) before the transaction.
type batch struct {
	items  []item
	staged []*stagedRow // nil where the row goes through a transaction
	// last is the batch's last spreadsheet row, next the one after it
	// (0 at the end of the file): what the report says once it is saved.
	last, next int
}

// stagedRow is a row whose person and measure are new, ready to insert.
type stagedRow struct {
	set   *store.Staged
	state *personState
	kept  int // the row's problems before staging, kept if it falls back
}

// stageRows may be turned off by tests, which compare both paths.
var stageRows = true

// stageDepth is how many staged batches may wait for the writer in the
// channel (the stager may hold one more). One is enough to keep the writer
// busy, and every batch held is live heap the collector marks: with two,
// the 100,000-row benchmark ran slower and peaked higher.
const stageDepth = 1

// stageAhead stages the batches on other goroutines, up to stageDepth
// batches ahead of the caller, which writes them: SQLite takes one writer
// at a time, and the Go side of a row (rules, JSON, AES-GCM) costs about as
// much as its inserts. Staging stops when ctx is done or stop is closed;
// done is closed once the staging goroutines have returned.
func (im *importer) stageAhead(ctx context.Context, size int, stop <-chan struct{}) (batches <-chan *batch, done <-chan struct{}) {
	out, finished := make(chan *batch, stageDepth), make(chan struct{})
	go func() {
		defer close(finished)
		defer close(out)
		rows := len(im.feed.rows)
		for lo, hi := 0, 0; lo < rows; lo = hi {
			if ctx.Err() != nil {
				return
			}
			hi = batchEnd(lo, size, rows)
			b := im.stageBatch(im.feed.batch(lo, hi))
			b.last = im.feed.nums[hi-1]
			if hi < rows {
				b.next = im.feed.nums[hi]
			}
			select {
			case out <- b:
			case <-stop:
				return
			}
		}
	}()
	return out, finished
}

// batchEnd is where the batch of rows from lo ends. Large batches (of a
// thousand rows or more) begin and end with one of a fifth of the size: the
// writer waits for the first batch to be parsed and staged, and the last
// is written while nothing else is left to do.
func batchEnd(lo, size, rows int) int {
	small := size
	if size >= 1000 {
		small = size / 5
	}
	switch {
	case lo == 0:
		return min(small, rows)
	case rows-lo <= small:
		return rows
	case rows-lo <= size:
		return rows - small // a small batch left for last
	}
	return lo + size
}

// stageBatch stages the rows of a batch on every CPU but the writer's;
// rows are independent (each ID number appears in one row only). The
// writer is the slower side: a third goroutine would only take turns with
// it on two CPUs.
func (im *importer) stageBatch(items []item) *batch {
	b := &batch{items: items, staged: make([]*stagedRow, len(items))}
	inParts(len(items), min(runtime.GOMAXPROCS(0)-1, len(items)/100), func(i int) {
		b.staged[i] = im.stageRow(items[i])
	})
	return b
}

// inParts calls do for 0 to n-1, split into that many parts (at least
// one) run side by side, and returns when all are done.
func inParts(n, parts int, do func(i int)) {
	parts = max(1, parts)
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := n*p/parts, n*(p+1)/parts
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				do(i)
			}
		})
	}
	wg.Wait()
}

// stageRow stages a row that creates a person, or returns nil: rows of
// stored persons, rejected rows and anything the staged set cannot decide
// alone go through the transaction as before, so that the report is the
// same either way.
func (im *importer) stageRow(it item) *stagedRow {
	e := it.e
	if !stageRows || it.prob != nil || im.known[e.id] != nil {
		return nil
	}
	set, err := im.s.Stage()
	if err != nil {
		return nil
	}
	kept := len(e.problems)
	st, err := im.writePerson(set, e, nil)
	if err == nil {
		err = im.writeMeasure(set, e, st)
	}
	if err == nil {
		err = im.writeEvents(set, e, st, true)
	}
	if err == nil {
		err = set.Seal()
	}
	if err != nil {
		e.problems = e.problems[:kept]
		return nil
	}
	return &stagedRow{set: set, state: st, kept: kept}
}

// putStaged inserts the staged rows of a batch whose ID numbers are still
// free; it returns which rows are left for writeItem (a person with the ID
// number was stored meanwhile, by another device's sync or process).
func (im *importer) putStaged(tx *store.Tx, b *batch, res *batchResult, saved map[string]*personState, known bool) ([]bool, error) {
	var sets []*store.Staged
	var rows []int
	for i, sr := range b.staged {
		if sr != nil {
			sets, rows = append(sets, sr.set), append(rows, i)
		}
	}
	clash, err := tx.StagedClashes(sets, known)
	if err != nil {
		return nil, err
	}
	left := make([]bool, len(b.items))
	for i := range b.items {
		left[i] = b.staged[i] == nil
	}
	for j, i := range rows {
		e, sr := b.items[i].e, b.staged[i]
		if clash[j] {
			e.problems = e.problems[:sr.kept]
			left[i] = true
			continue
		}
		if err := tx.PutStaged(sr.set); err != nil {
			return nil, err
		}
		saved[e.id] = sr.state
	}
	return left, nil
}
