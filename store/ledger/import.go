package ledger

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"

	"rehabdesk/store"
	"rehabdesk/store/valid"
)

// DefaultBatch is how many rows one transaction writes: large enough that
// commits cost little, small enough that a crash or cancel loses at most a
// moment of work (a batch takes about half a second) and the GUI sees
// progress often. Every commit writes each page it changed to the WAL, and
// the index of ID-number keys (keyed hashes, so inserted at random places)
// has most of its pages changed by every batch: importing 100,000 persons
// wrote 977 MB in batches of 1,000 and 622 MB in batches of 5,000.
const DefaultBatch = 5000

// Options tune an import.
type Options struct {
	// Batch is the number of rows per transaction; 0 means DefaultBatch.
	Batch int
	// Progress, if set, is called after each committed batch with the rows
	// handled so far and the total.
	Progress func(done, total int)
}

// ImportFile imports a ledger file; see Import.
func ImportFile(ctx context.Context, s *store.Store, path string, opt Options) (*Report, error) {
	data, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ImportBytes(ctx, s, data, opt)
}

// ReadFile reads a ledger file, refusing one past MaxUnpacked with
// ErrTooBig: by its size when it has one, else after reading no more.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > MaxUnpacked {
		return nil, tooBig(errors.New("file past the bound"))
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxUnpacked+1))
	if err == nil && len(data) > MaxUnpacked {
		return nil, tooBig(errors.New("file past the bound"))
	}
	return data, err
}

// ImportBytes imports the persons of a ledger into the store in batched
// transactions. A file that is not a ledger gives a *ReadError and changes
// nothing. Otherwise the report lists every row not imported and every
// value set aside. When ctx is cancelled the import stops between batches:
// the committed batches stay, Report.Done says how far it got and the error
// is ctx's.
func ImportBytes(ctx context.Context, s *store.Store, data []byte, opt Options) (*Report, error) {
	t, err := readTable(data)
	if err != nil {
		return nil, err
	}
	l, ok := findHeader(t.rows)
	if !ok {
		return nil, &ReadError{Kind: ErrNoHeader}
	}
	im := &importer{s: s, l: l, rep: &Report{Source: t.source, Sheet: t.sheet, HeaderRow: t.nums[l.row],
		UnknownColumns: l.unknownNames()}}
	p := newParser(l, s.Today(), newVillageMap(s.Township()))
	if p.names, err = loadNames(ctx, s); err != nil {
		return nil, err
	}
	im.feed = newFeed(t, l, p)
	im.rep.Rows = im.feed.count()
	if len(im.feed.nums) > 0 {
		im.rep.NextRow = im.feed.nums[0]
	}
	// The mark before reading the stored persons: a write after it shows as
	// a different mark at the first batch.
	if im.mark, err = s.ChangeMark(ctx); err != nil {
		return nil, err
	}
	if err := im.loadKnown(ctx); err != nil {
		return nil, err
	}
	if im.bulk, err = s.BeginBulk(ctx); err != nil {
		return nil, err
	}
	// A checkpoint that failed left the pages in the WAL, committed and
	// safe, for the next checkpoint: the import itself went through.
	defer im.bulk.Close()
	// After BeginBulk, which can fail: run releases the hold.
	im.hold, _ = s.HoldIndex() // nil while another import holds it: this one updates the index as it goes
	defer relaxGC()()
	err = im.run(ctx, opt)
	if err != nil && !errors.Is(err, context.Canceled) && im.rep.Done > 0 {
		err = stopped(im.rep, err)
	}
	sort.SliceStable(im.rep.Problems, func(i, j int) bool { return im.rep.Problems[i].Row < im.rep.Problems[j].Row })
	r := im.rep
	// Recorded even when cancelled part-way: the committed batches stay.
	aerr := s.Audit(context.WithoutCancel(ctx), store.ActionImport, "", store.AuditDetail(store.AuditLedgerImport,
		r.Source, strconv.Itoa(r.Done), strconv.Itoa(r.Rows), strconv.Itoa(r.New), strconv.Itoa(r.Updated), strconv.Itoa(r.Rejected)))
	if err != nil {
		return r, err
	}
	return r, aerr
}

// item is one row to handle: an entry to write, or a problem that already
// decided its fate.
type item struct {
	e    *entry
	prob *Problem
}

// importer carries one import's state.
type importer struct {
	s     *store.Store
	l     *layout
	rep   *Report
	feed  *feed
	known map[string]*personState // by ID number
	hold  *store.IndexHold        // the search index's updates, applied once at the end
	bulk  *store.BulkWriter       // the transactions' connection, checkpointed in the background
	// mark is the change log's end after the last batch (before the first:
	// before loadKnown); other tells that another write came between two
	// of them, after which every batch checks its ID numbers (see
	// Tx.StagedClashes).
	mark  int64
	other bool
}

// personState is what the import needs of a person already stored.
type personState struct {
	id       string
	extra    string
	risk     string
	measures []*store.Record
}

// loadKnown reads the persons and measures already stored, once, so that
// rows need no lookup query each.
func (im *importer) loadKnown(ctx context.Context) error {
	persons, err := im.s.List(ctx, store.KindPerson, store.ListFilter{})
	if err != nil {
		return fmt.Errorf("read persons: %w", err)
	}
	measures, err := im.s.List(ctx, store.KindMeasure, store.ListFilter{})
	if err != nil {
		return fmt.Errorf("read measures: %w", err)
	}
	keyed, err := im.s.KeyedPersons(ctx)
	if err != nil {
		return fmt.Errorf("read persons: %w", err)
	}
	im.known = make(map[string]*personState, len(persons))
	byID := make(map[string]*personState, len(persons))
	for _, p := range persons {
		st := &personState{id: p.ID, extra: p.Fields["ledger_extra"], risk: p.Fields["risk"]}
		im.known[p.Fields["id_number"]], byID[p.ID] = st, st
		if p.Fields["id_number"] != "" {
			keyed--
		}
	}
	// Some holder of an ID number is not listed (moved away, not yet
	// erased): every batch must look its ID numbers up.
	im.other = im.other || keyed != 0
	for _, m := range measures {
		if st := byID[m.PersonID]; st != nil {
			st.measures = append(st.measures, m)
		}
	}
	return nil
}

// run writes the rows batch by batch, each batch parsed and staged ahead
// on other goroutines (stageAhead). Cancellation is checked between
// batches only: a batch once begun is committed whole.
func (im *importer) run(ctx context.Context, opt Options) error {
	size := opt.Batch
	if size <= 0 {
		size = DefaultBatch
	}
	if im.hold != nil {
		defer im.hold.Release(context.WithoutCancel(ctx)) // last, once staging has stopped
	}
	stop := make(chan struct{})
	batches, staged := im.stageAhead(ctx, size, stop)
	defer func() {
		close(stop)
		<-staged // no goroutine of the import outlives it
	}()
	for b := range batches {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := im.writeBatch(context.WithoutCancel(ctx), b); err != nil {
			return err
		}
		clear(b.items) // written: let the parsed rows go while later batches are
		if opt.Progress != nil {
			opt.Progress(im.rep.Done, im.rep.Rows)
		}
	}
	if im.rep.Done < im.rep.Rows {
		return ctx.Err() // staging stopped early
	}
	return nil
}

// writeBatch writes one transaction and adds its outcome to the report
// only once it is committed. im.known is not updated: each ID number is in
// one item only (parseRows settles the others), so no later batch looks up
// a person this one saved, and the staging goroutines read im.known.
func (im *importer) writeBatch(ctx context.Context, b *batch) error {
	var res batchResult
	var mark int64
	err := im.bulk.Update(ctx, func(tx *store.Tx) error {
		if im.hold != nil {
			tx.HoldIndex(im.hold)
		}
		res = batchResult{}
		saved := map[string]*personState{}
		start, err := tx.ChangeMark()
		if err != nil {
			return err
		}
		im.other = im.other || start != im.mark
		left, err := im.putStaged(tx, b, &res, saved, !im.other)
		if err != nil {
			return err
		}
		for i, it := range b.items {
			if !left[i] {
				res.problems = append(res.problems, it.e.problems...)
				res.new++
				continue
			}
			if err := im.writeItem(tx, it, &res, saved); err != nil {
				return err
			}
		}
		mark, err = tx.ChangeMark()
		return err
	})
	if err != nil {
		return err
	}
	im.mark = mark
	im.rep.add(res, len(b.items))
	im.rep.SavedThrough, im.rep.NextRow = b.last, b.next
	return nil
}

// batchResult is what a batch did, merged into the report after commit.
type batchResult struct {
	new, updated, unchanged, rejected, skipped int
	problems                                   []Problem
}

func (r *Report) add(b batchResult, rows int) {
	r.New += b.new
	r.Updated += b.updated
	r.Unchanged += b.unchanged
	r.Rejected += b.rejected
	r.Skipped += b.skipped
	r.Problems = append(r.Problems, b.problems...)
	r.Done += rows
}

// writeItem writes one row. Errors of the row's values become problems;
// only errors of the database itself abort the batch.
func (im *importer) writeItem(tx *store.Tx, it item, res *batchResult, saved map[string]*personState) error {
	if it.prob != nil {
		res.problems = append(res.problems, *it.prob)
		if it.prob.Severity == Duplicate {
			res.skipped++
		} else {
			res.rejected++
		}
		return nil
	}
	e := it.e
	st := saved[e.id]
	if st == nil {
		st = im.known[e.id]
	}
	isNew := st == nil
	before := tx.Changes()
	st, err := im.writePerson(tx, e, st)
	if err == nil {
		err = im.writeMeasure(tx, e, st)
	}
	if err == nil {
		err = im.writeEvents(tx, e, st, isNew)
	}
	var ve *valid.Error
	var dup *store.DuplicateError
	var moved *store.TransferredError // a row of someone who moved away: the file is no longer kept here
	switch {
	case errors.As(err, &ve) || errors.As(err, &dup) || errors.As(err, &moved):
		res.problems = append(res.problems, problemOf(e.row, "", Rejected, err))
		res.rejected++
		return nil
	case err != nil:
		return fmt.Errorf("row %d: %w", e.row, err)
	}
	saved[e.id] = st
	res.problems = append(res.problems, e.problems...)
	switch {
	case isNew:
		res.new++
	case tx.Changes() > before:
		res.updated++
	default:
		res.unchanged++
	}
	return nil
}
