package store

import (
	"strings"
)

// flush writes every record the batch changed, with its merge state and its
// "edited while archived" conflict. The rows are encoded and sealed on
// another goroutine while SQLite writes the ones before (see ahead).
func (m *merger) flush() error {
	var dirty []*entity
	for _, id := range m.order {
		if e := m.ents[id]; e.dirty {
			dirty = append(dirty, e)
		}
	}
	rows := computeAhead(len(dirty), func(i int) rowWrite { return m.encodeRow(dirty[i]) })
	defer rows.wait()
	var err error
	if len(dirty) < pauseFrom {
		err = m.writeAll(dirty, rows)
	} else {
		err = m.paused(dirty, func() error { return m.writeAll(dirty, rows) })
	}
	if err != nil {
		return err
	}
	return m.writeVersions()
}

// writeAll writes the dirty records, encoded by rows. Rewrites go
// rewriteChunk to a statement: a statement per record cost about a third
// of the records' writing in database/sql and the driver.
func (m *merger) writeAll(dirty []*entity, rows *ahead[rowWrite]) error {
	batch := make([]*entity, 0, rewriteChunk)
	args := make([]any, 0, rewriteChunk*rewriteArgs)
	for i, e := range dirty {
		row := rows.get(i)
		if row.err == nil && row.query == sqlRewrite {
			batch, args = append(batch, e), append(args, row.args...)
			if len(batch) == rewriteChunk {
				if err := m.rewrite(batch, args); err != nil {
					return err
				}
				batch, args = batch[:0], args[:0]
			}
			continue
		}
		err := row.err
		if err == nil {
			_, err = m.exec(row.query, row.args...)
		}
		if err := m.written([]*entity{e}, err); err != nil {
			return err
		}
	}
	return m.rewrite(batch, args)
}

// rewrite runs the rewrites of batch, whose arguments are args, in one
// statement.
func (m *merger) rewrite(batch []*entity, args []any) error {
	if len(batch) == 0 {
		return nil
	}
	_, err := m.exec(rewriteRows(len(batch)), args...)
	return m.written(batch, err)
}

// written does the bookkeeping of the records of batch, written by a
// statement that returned err, and writes their merge state.
func (m *merger) written(batch []*entity, err error) error {
	for _, e := range batch {
		if err := m.tx.saved(e.rec, err); err != nil {
			return err
		}
		if err := m.flushState(e); err != nil {
			return err
		}
	}
	return nil
}

// pauseFrom is how many records a batch writes before flush pauses the
// index_dirty triggers: each trigger run cost a record's update a quarter
// of its time. (A variable so that property tests pause with small
// batches.)
var pauseFrom = 32

// paused runs write, which writes the dirty records and nothing else in
// records, with the index_dirty triggers paused (migration 0008), and marks
// the persons they would have marked with a few multi-row inserts. The
// pause row is deleted whatever happened, so no later statement of the
// transaction runs with it. (A bulk import drops its trigger instead,
// Tx.withoutTrigger; for a merge page that cost more than it saved: under
// cachegrind, BenchmarkApplyRemote/edits/page=500 ran 859 M SQLite
// instructions with the pause and 936 M with the triggers dropped, the
// merge's many statements being prepared again after each page.)
func (m *merger) paused(dirty []*entity, write func() error) error {
	if err := m.tx.flushPending(); err != nil { // rows written before are the triggers' to mark
		return err
	}
	_, err := m.exec("INSERT INTO index_dirty_pause(id) VALUES(1)")
	if err != nil {
		return err
	}
	err = write()
	if err == nil {
		err = m.tx.execRows(dirtyInsertRows, dirtyRowsPerInsert, 1, personsToMark(dirty, m.boxes))
	}
	if _, derr := m.exec("DELETE FROM index_dirty_pause"); err == nil {
		err = derr
	}
	return err
}

// personsToMark are the persons whose search entry the writes of dirty may
// change, each once: what the index_dirty triggers would mark for the
// record before and after (a person's own record, or a measure's person),
// as arguments boxed already in boxes where the batch has them.
func personsToMark(dirty []*entity, boxes argBoxes) []any {
	seen := make(map[string]bool, len(dirty))
	out := make([]any, 0, len(dirty))
	mark := func(p string) {
		if p != "" && !seen[p] {
			seen[p] = true
			out = append(out, boxes.arg(p))
		}
	}
	for _, e := range dirty {
		mark(dirtyPerson(e.rec))
		if e.exists && e.rec.Kind == KindMeasure {
			mark(e.person)
		}
	}
	return out
}

// flushState writes what goes with a record written by flush.
func (m *merger) flushState(e *entity) error {
	if e.person != "" && e.person != e.rec.PersonID {
		m.tx.touched[e.person] = true // the record moved to another person
	}
	m.noteVersions(e)
	opened, err := m.tx.refreshArchiveConflict(e.rec, e.wasArchived)
	if opened {
		m.stats.Conflicts++
	}
	return err
}

// sqlRewrite rewrites a record whose indexed columns (kind, person,
// archived flag, natural key) stay as they are: SQLite then leaves the
// record's three indexes alone, where the upsert rewrites every entry.
const sqlRewrite = "UPDATE records SET township=?, created_at=min(created_at, ?), updated_at=?, versions=?, data=? WHERE id=?"

// rewriteChunk is how many records one statement of rewriteRows rewrites;
// rewriteArgs is the number of arguments of sqlRewrite, in the order
// rewriteRows takes them.
const (
	rewriteChunk = 64
	rewriteArgs  = 6
)

// rewriteRows is sqlRewrite for n records: each VALUES row holds one
// record's arguments of sqlRewrite, and SQLite finds each record by its id
// as sqlRewrite does.
func rewriteRows(n int) string {
	return "UPDATE records SET township=v.column1, created_at=min(records.created_at, v.column2), " +
		"updated_at=v.column3, versions=v.column4, data=v.column5 FROM (VALUES(?,?,?,?,?,?)" +
		strings.Repeat(",(?,?,?,?,?,?)", n-1) + ") AS v WHERE records.id = v.column6"
}

// rowWrite is the statement that writes a record, with its arguments.
type rowWrite struct {
	query string
	args  []any
	err   error
}

// encodeRow seals the entity's record into the statement that saves it. It
// only reads the entity.
func (m *merger) encodeRow(e *entity) rowWrite {
	r := e.rec
	if !e.exists || r.PersonID != e.person || r.Archived != e.wasArchived || r.Fields["id_number"] != e.idNumber {
		args, err := m.tx.recordArgs(r)
		return rowWrite{query: recordUpsert, args: args, err: err}
	}
	data, err := sealStrings(m.tx.seal, r.Fields, recordAD(r.ID))
	if err != nil {
		return rowWrite{err: err}
	}
	versions, err := encodeVersions(r.Versions)
	if err != nil {
		return rowWrite{err: err}
	}
	return rowWrite{query: sqlRewrite, args: []any{m.boxes.arg(r.Township), r.Created.UnixMilli(), r.Updated.UnixMilli(),
		versions, data, m.boxes.arg(r.ID)}}
}
