package store

import (
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// prefetchChunk bounds the ids of one IN (...) query, well under SQLite's
// limit on bound parameters.
const prefetchChunk = 500

// prefetch loads, in a few queries, the records a batch is about and their
// merge state: one query per record would cost more than the merge itself.
// Ids it does not find are remembered as new, so that their first change
// starts a blank record without asking again. The records' fields are
// decrypted on another goroutine: see opened.
func (m *merger) prefetch(changes []*Change) error {
	var ids []string
	seen := map[string]bool{}
	for _, ch := range changes {
		if ch != nil && !seen[ch.EntityID] && m.ents[ch.EntityID] == nil && validUUID(ch.EntityID) {
			seen[ch.EntityID] = true
			ids = append(ids, ch.EntityID)
		}
	}
	var raws []*mergeRow
	for lo := 0; lo < len(ids); lo += prefetchChunk {
		var err error
		if raws, err = m.prefetchRecords(raws, ids[lo:min(lo+prefetchChunk, len(ids))]); err != nil {
			return err
		}
	}
	m.decoding = computeAhead(len(raws), func(i int) openedRow { return raws[i].open(m.tx.seal) })
	found := make([]string, len(raws)) // only existing records have merge state to load
	for i, raw := range raws {
		m.undecoded = append(m.undecoded, m.adopt(&raw.rec))
		found[i] = raw.rec.ID
	}
	for lo := 0; lo < len(found); lo += prefetchChunk {
		if err := m.prefetchVersions(found[lo:min(lo+prefetchChunk, len(found))]); err != nil {
			return err
		}
	}
	for _, id := range ids {
		if m.ents[id] == nil {
			m.absent[id] = true
		}
	}
	return nil
}

// opened waits for the prefetched records' fields and versions. Until
// then those records hold only their clear columns.
func (m *merger) opened() error {
	if m.decoding == nil {
		return nil
	}
	rows := m.decoding.wait()
	m.decoding = nil
	for i, row := range rows {
		if row.err != nil {
			return row.err
		}
		e := m.undecoded[i]
		e.rec.Fields, e.rec.Versions, e.idNumber = row.fields, row.versions, row.fields["id_number"]
	}
	m.undecoded = nil
	return nil
}

// inList returns "(?,?,...)" and the ids as arguments.
func inList(ids []string) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return "(?" + strings.Repeat(",?", len(ids)-1) + ")", args
}

// paddedInList is inList with the list padded, by repeating an id, to a
// power of two or to prefetchChunk: the merge's IN queries then come in a
// few shapes that stay prepared (see stmtCache) instead of being parsed
// anew for every list length. A repeated id changes no result of IN.
func paddedInList(ids []string, boxes argBoxes) (string, []any) {
	n := 1
	for n < len(ids) {
		n *= 2
	}
	n = min(n, max(prefetchChunk, len(ids)))
	args := make([]any, n)
	for i, id := range ids {
		args[i] = boxes.arg(id)
	}
	for i := len(ids); i < n; i++ {
		args[i] = args[0]
	}
	return "(?" + strings.Repeat(",?", n-1) + ")", args
}

// query runs a statement of the merge, prepared once (see stmt).
func (m *merger) query(query string, args ...any) (*sql.Rows, error) {
	st, err := m.stmt(query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(m.tx.ctx, args...)
}

// prefetchRecords appends to raws the rows of the existing records among
// ids.
func (m *merger) prefetchRecords(raws []*mergeRow, ids []string) ([]*mergeRow, error) {
	in, args := paddedInList(ids, m.boxes)
	rows, err := m.query("SELECT "+recordColumns+" FROM records WHERE id IN "+in, args...)
	if err != nil {
		return nil, fmt.Errorf("read records: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		raw, err := scanMergeRow(rows)
		if err != nil {
			return nil, err
		}
		raws = append(raws, raw)
	}
	return raws, rows.Err()
}

// mergeRow is a records row as a merge reads it, before decryption.
type mergeRow struct {
	rec              Record
	versions         string
	data             []byte
	created, updated int64 // milliseconds, as stored
}

func scanMergeRow(sc interface{ Scan(...any) error }) (*mergeRow, error) {
	r := new(mergeRow) // scanned into directly: separate clock variables would each escape
	err := sc.Scan(&r.rec.Kind, &r.rec.ID, &r.rec.Township, &r.rec.PersonID, &r.rec.Archived, &r.created, &r.updated,
		&r.versions, &r.data)
	r.rec.Created, r.rec.Updated = time.UnixMilli(r.created), time.UnixMilli(r.updated)
	return r, err
}

// openedRow is a record's fields and versions, decrypted and decoded.
type openedRow struct {
	fields, versions map[string]string
	err              error
}

// open decrypts and decodes the row as scanRecord does, with the decoder of
// plain JSON objects: encoding/json cost a merge more than SQLite's read.
func (raw *mergeRow) open(seal *sealer) openedRow {
	id := raw.rec.ID
	plain, err := seal.openString(raw.data, recordAD(id))
	if err != nil {
		return openedRow{err: fmt.Errorf("record %s: %w", id, err)}
	}
	var o openedRow
	if o.fields, err = decodeObject(plain); err != nil {
		return openedRow{err: fmt.Errorf("record %s: %w", id, err)}
	}
	if o.versions, err = decodeVersions(raw.versions); err != nil {
		return openedRow{err: fmt.Errorf("record %s versions: %w", id, err)}
	}
	return o
}

// adopt starts merging an existing record.
func (m *merger) adopt(r *Record) *entity {
	e := &entity{rec: r, exists: true, wasArchived: r.Archived, person: r.PersonID, idNumber: r.Fields["id_number"]}
	m.ents[r.ID] = e
	m.order = append(m.order, r.ID)
	return e
}

// prefetchVersions loads the merge state of the cached records among ids.
func (m *merger) prefetchVersions(ids []string) error {
	in, args := paddedInList(ids, m.boxes)
	rows, err := m.query("SELECT entity_id, field, version, state FROM merge_versions WHERE entity_id IN "+in, args...)
	if err != nil {
		return fmt.Errorf("read merge state: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, st string
		var k versionKey
		if err := rows.Scan(&id, &k.field, &k.version, &st); err != nil {
			return err
		}
		if e := m.ents[id]; e != nil {
			e.loaded(k, st)
		}
	}
	return rows.Err()
}
