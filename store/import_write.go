package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"rehabdesk/internal/sqlrows"
)

// clashChunk is how many ID-number keys one uniqueness query looks up.
const clashChunk = 500

// StagedClashes reports, for each staged set, whether one of its persons
// has the ID number of a live person already stored: Tx.Put would refuse
// that person with a *DuplicateError, so the caller must write such a set's
// row through Tx.Put instead of PutStaged. The sets must not share an ID
// number with each other (an import settles duplicates within the file
// first). One query per clashChunk keys replaces a lookup per person.
//
// known skips the lookups: the caller knows that no stored person has
// these ID numbers (an import that checked them against the persons
// stored when it began, and has seen the change log end where its own
// last batch left it ever since: every write of a person is logged).
func (tx *Tx) StagedClashes(sets []*Staged, known bool) ([]bool, error) {
	records, changes := 0, 0
	for _, sg := range sets {
		if err := sg.Seal(); err != nil {
			return nil, err
		}
		records, changes = records+len(sg.order), changes+len(sg.changes)
	}
	tx.reserve(records, changes)
	if err := tx.flushPending(); err != nil {
		return nil, err
	}
	out := make([]bool, len(sets))
	if known {
		return out, nil
	}
	owner := map[string]int{}
	var keys []any
	for i, sg := range sets {
		for _, nk := range sg.naturalKeys() {
			owner[nk] = i
			keys = append(keys, nk)
		}
	}
	for lo := 0; lo < len(keys); lo += clashChunk {
		chunk := keys[lo:min(lo+clashChunk, len(keys))]
		found, err := tx.liveKeys(chunk)
		if err != nil {
			return nil, err
		}
		for _, nk := range found {
			out[owner[nk]] = true
		}
	}
	return out, nil
}

// ChangeMark returns the number of the last change in the log as this
// transaction leaves it so far, its own pending changes included: unless
// it is the same as before, something was written meanwhile. See
// StagedClashes.
func (tx *Tx) ChangeMark() (int64, error) {
	if err := tx.flushPending(); err != nil {
		return 0, err
	}
	return changeMark(tx.ctx, tx.tx.Tx)
}

// KeyedPersons counts the live persons with an ID number, those a session
// may not see or that moved away included: an import compares it with the
// persons it read, to know that it saw every holder of an ID number (see
// StagedClashes).
func (s *Store) KeyedPersons(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM records WHERE kind = 'person' AND archived = 0 AND natural_key <> ''").Scan(&n)
	return n, err
}

// ChangeMark is Tx.ChangeMark outside a transaction.
func (s *Store) ChangeMark(ctx context.Context) (int64, error) {
	return changeMark(ctx, s.db)
}

func changeMark(ctx context.Context, q querier) (int64, error) {
	var mark int64
	err := q.QueryRowContext(ctx, sqlLogEnd).Scan(&mark)
	return mark, err
}

// sqlLogEnd reads the greatest sequence number of the change log (0 when
// empty): ChangeMark, and a merge's logEnd.
const sqlLogEnd = "SELECT coalesce(max(seq), 0) FROM changes"

// reserve makes room for the rows of staged sets about to be written:
// grown row by row, the buffers and maps were copied over several times
// per batch.
func (tx *Tx) reserve(records, changes int) {
	p := &tx.records
	p.bulk.args = slices.Grow(p.bulk.args, records*bulkPerRow)
	p.bulk.persons = slices.Grow(p.bulk.persons, records)
	tx.pending.args = slices.Grow(tx.pending.args, changes*localPerRow)
	if p.keys == nil {
		p.keys, p.inserted = make(map[string]bool, records), make(map[string]bool, records)
	}
	if tx.created == nil {
		tx.created = make(map[string]bool, records)
	}
	if tx.written == nil {
		tx.written = make(map[string]*Record, records)
	}
}

// liveKeys returns which of some natural keys a live person has. As in
// personByIDNumber, "natural_key <> ”" and the unary + keep the planner
// on the partial index records_natural.
func (tx *Tx) liveKeys(keys []any) ([]string, error) {
	st, err := tx.stmt("SELECT natural_key FROM records WHERE natural_key IN (?" + strings.Repeat(",?", len(keys)-1) +
		") AND natural_key <> '' AND +kind = 'person' AND +archived = 0")
	if err != nil {
		return nil, err
	}
	return sqlrows.Strings(st.QueryContext(tx.ctx, keys...))
}

// PutStaged writes a staged set in this transaction: its records, their
// change-log entries in the order they were staged, and the sign-in
// snapshot's dirty marks of their persons. The caller must have checked
// StagedClashes; the set must not be written twice.
func (tx *Tx) PutStaged(sg *Staged) error {
	if !sg.fresh(tx.foreign) {
		sg.restamp() // another writer may have issued its readings
	}
	if err := sg.Seal(); err != nil {
		return err
	}
	p := &tx.records
	if p.keys == nil {
		p.keys, p.inserted = map[string]bool{}, map[string]bool{}
	}
	if sg.user != tx.user {
		return fmt.Errorf("staged by %s, written by %s", sg.user, tx.user)
	}
	for i, r := range sg.order {
		if r.Township != tx.s.township {
			return fmt.Errorf("staged record %s of township %s", r.ID, r.Township)
		}
		tx.noteCreated(r.ID)
		p.inserted[r.ID] = true
		args := sg.rows.records[i]
		if nk, _ := args[recordKeyArg].(string); nk != "" {
			p.keys[nk] = true
		}
		p.bulk.args = append(p.bulk.args, args...)
		p.bulk.rows++
		if pid := dirtyPerson(r); pid != "" {
			p.bulk.persons = append(p.bulk.persons, pid)
		}
		if err := tx.saved(r, nil); err != nil {
			return err
		}
	}
	for _, args := range sg.rows.changes {
		tx.pending.args = append(tx.pending.args, args...)
		tx.pending.rows++
		tx.changes++
	}
	return nil
}

// dirtyPerson is the person whose search entry a record's write changes, as
// the index_dirty triggers of migration 0006 compute it.
func dirtyPerson(r *Record) string {
	if r.Kind == KindPerson {
		return r.ID
	}
	if r.Kind == KindMeasure {
		return r.PersonID
	}
	return ""
}

// bulkRecords are record rows of staged sets not yet inserted: new records
// only, whose index_dirty marks are written per flush (flushBulk).
type bulkRecords struct {
	args    []any
	rows    int
	persons []string // persons to mark dirty, possibly repeated
}

// flushBulk inserts the pending staged records with the index_dirty
// insert trigger dropped for the while (withoutTrigger) and marks their
// persons dirty with multi-row inserts instead. Staged records are only
// ever inserted, so the update and delete triggers cannot fire.
func (tx *Tx) flushBulk() error {
	b := &tx.records.bulk
	if b.rows == 0 {
		return nil
	}
	persons := uniqueStrings(b.persons)
	err := tx.withoutTrigger("index_dirty_insert", func() error {
		for _, g := range groupRecordRows(b.args) {
			query, perRow := bulkInsertRows, bulkPerRow-1
			if !g.keyed {
				query, perRow = bulkInsertUnkeyed, bulkPerRow-2
			}
			if err := tx.execShared(query, bulkRowsPerInsert, []any{tx.s.township, g.kind}, perRow, g.args); err != nil {
				return err
			}
		}
		return tx.execRows(dirtyInsertRows, dirtyRowsPerInsert, 1, persons)
	})
	clear(b.args)
	b.args, b.rows, b.persons = b.args[:0], 0, b.persons[:0]
	if err != nil {
		return fmt.Errorf("save records: %w", err)
	}
	return nil
}

// uniqueStrings returns the distinct values of ss as statement arguments.
func uniqueStrings(ss []string) []any {
	seen := make(map[string]bool, len(ss))
	out := make([]any, 0, len(ss))
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// execRows runs a multi-row statement over args, perRow arguments a row,
// at most full rows a statement; query(n) is the statement for n rows.
func (tx *Tx) execRows(query func(n int) string, full, perRow int, args []any) error {
	for len(args) > 0 {
		n := min(full, len(args)/perRow)
		st, err := tx.stmt(query(n))
		if err != nil {
			return err
		}
		if _, err := st.ExecContext(tx.ctx, args[:n*perRow]...); err != nil {
			return err
		}
		args = args[n*perRow:]
	}
	return nil
}

// dirtyRowsPerInsert is how many persons one index_dirty insert marks.
const dirtyRowsPerInsert = 200

// dirtyInsertRows marks n persons dirty.
func dirtyInsertRows(n int) string {
	return "INSERT INTO index_dirty(person_id) VALUES(?)" + strings.Repeat(",(?)", n-1) + " ON CONFLICT(person_id) DO NOTHING"
}

// bulkRowsPerInsert is how many staged records one INSERT writes.
const bulkRowsPerInsert = 100

// bulkPerRow is the number of arguments of a staged record (recordRow).
const bulkPerRow = 8

// recordGroup is the record rows of one kind, with natural keys or without
// (rows of kinds other than persons): written with the kind, and an empty
// key, shared by the statement instead of bound for every row. Each text
// argument is copied into SQLite's memory, and binding the arguments was a
// quarter of the writer's CPU in an import.
type recordGroup struct {
	kind  any
	keyed bool
	args  []any // recordRow's arguments but the kind, and the key when not keyed
}

// groupRecordRows splits recordRow argument rows into groups, in the order
// each group first appears; the order of rows within a transaction does
// not matter (each is a new record).
func groupRecordRows(args []any) []*recordGroup {
	var groups []*recordGroup
	for i := 0; i < len(args); i += bulkPerRow {
		row := args[i : i+bulkPerRow]
		nk, _ := row[recordKeyArg].(string)
		var g *recordGroup
		for _, c := range groups {
			if c.kind == row[0] && c.keyed == (nk != "") {
				g = c
				break
			}
		}
		if g == nil {
			g = &recordGroup{kind: row[0], keyed: nk != "", args: make([]any, 0, len(args)/2)}
			groups = append(groups, g)
		}
		if g.keyed {
			g.args = append(g.args, row[1:]...)
		} else {
			g.args = append(g.args, row[1:recordKeyArg]...)
		}
	}
	return groups
}

// bulkInsertRows inserts n new records: ?1 is the township and ?2 the
// kind, shared by the rows, then recordRow's arguments but the kind row
// after row. (The other parameters are plain
// "?", numbered on from ?1: the driver looks the name of every named
// parameter up, which cost more than the copies saved.) Staged
// records are new (fresh ids), so there is no upsert; OR FAIL spares
// SQLite the statement journal a multi-row statement that may abort keeps
// (the original of every page it changes, to undo part of the statement):
// a failing row leaves the earlier ones of the statement in place, which
// is harmless because a failed flush fails the whole transaction
// (tx.records.err).
func bulkInsertRows(n int) string {
	if n == bulkRowsPerInsert {
		return bulkInsertFull
	}
	return buildBulkInsert(n, true)
}

// bulkInsertUnkeyed is bulkInsertRows for rows without a natural key.
func bulkInsertUnkeyed(n int) string {
	if n == bulkRowsPerInsert {
		return bulkInsertUnkeyedFull
	}
	return buildBulkInsert(n, false)
}

func buildBulkInsert(n int, keyed bool) string {
	row := "(?1, 0, ?2" + strings.Repeat(", ?", bulkPerRow-2) + ", ?)"
	if !keyed {
		row = "(?1, 0, ?2" + strings.Repeat(", ?", bulkPerRow-2) + ", '')"
	}
	return "INSERT OR FAIL INTO records(township, archived, kind, id, person_id, created_at, updated_at, versions, data, natural_key) VALUES" +
		row + strings.Repeat(","+row, n-1)
}

var (
	bulkInsertFull        = buildBulkInsert(bulkRowsPerInsert, true)
	bulkInsertUnkeyedFull = buildBulkInsert(bulkRowsPerInsert, false)
)

// execShared is execRows for statements whose first parameters, shared
// by every row, are the values of shared.
func (tx *Tx) execShared(query func(n int) string, full int, shared []any, perRow int, args []any) error {
	buf := make([]any, 0, len(shared)+min(full*perRow, len(args)))
	for len(args) > 0 {
		n := min(full, len(args)/perRow)
		st, err := tx.stmt(query(n))
		if err != nil {
			return err
		}
		buf = append(append(buf[:0], shared...), args[:n*perRow]...)
		if _, err := st.ExecContext(tx.ctx, buf...); err != nil {
			return err
		}
		args = args[n*perRow:]
	}
	clear(buf)
	return nil
}
