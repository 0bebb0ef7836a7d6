package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"slices"
	"strconv"

	"rehabdesk/store/search"
)

// The sign-in snapshot of the search index. Names and ID numbers are
// sealed, so the index is built in memory; decrypting and decoding every
// person and measure for it took seconds at 100,000 persons. Instead the
// search entries of all live persons (unmasked, whatever the session) are
// kept as one blob sealed with the data key in index_snapshot, and the
// triggers of migration 0006 list in index_dirty every person whose person
// or measure rows were written since. Sign-in opens the blob and re-reads
// only the dirty persons from records; the snapshot plus those is exactly
// what a full rebuild would give, whoever wrote the rows (local edits,
// merges, imports, another process on the same file).
//
// The snapshot is rewritten, and index_dirty emptied, in one transaction
// that reads both, so no write can fall between them: at sign-in after a
// full rebuild or when many persons are dirty, and on Lock when any is.

const (
	snapshotFormat = 1

	// snapshotSlack and a fifth of the snapshot (snapshotShare): more
	// dirty persons than this and a full rebuild is about as fast as
	// re-reading them a chunk of ids at a time (at 100,000 persons, 1,000
	// dirty ones add ≈ 0.1 s, a full rebuild takes ≈ 2 s).
	snapshotSlack = 256
	snapshotShare = 5

	// snapshotRewriteAt dirty persons make sign-in rewrite the snapshot,
	// so that the next one is fast again even if this session ends
	// without Lock (the command line only closes the store).
	snapshotRewriteAt = 2000
)

func snapshotAD(township string, gen int64) []byte {
	return []byte("index-snapshot:" + township + ":" + strconv.FormatInt(gen, 10))
}

// indexEntries returns the search entries of every live person, from the
// snapshot when there is a usable one, else from a full read of records.
func (s *Store) indexEntries(ctx context.Context, seal *sealer) ([]search.Entry, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		// No write lock (another process is writing): read without
		// the snapshot, as before it existed.
		return s.fullEntries(ctx, s.db, seal)
	}
	defer tx.Rollback()
	gen, snap, ok, err := s.readSnapshot(ctx, tx, seal)
	if err != nil {
		return nil, err
	}
	dirty, err := dirtyPersons(ctx, tx)
	if err != nil {
		return nil, err
	}
	rebuild := !ok || len(dirty) > len(snap)/snapshotShare+snapshotSlack
	var es []search.Entry
	if rebuild {
		es, err = s.fullEntries(ctx, tx, seal)
	} else {
		es, err = s.patchEntries(ctx, tx, seal, snap, dirty)
	}
	if err != nil {
		return nil, err
	}
	if rebuild || len(dirty) >= snapshotRewriteAt {
		// Best effort: a failed rewrite only leaves the next sign-in slow.
		if s.writeSnapshot(ctx, tx, seal, gen, es) == nil {
			tx.Commit()
		}
	}
	return es, nil
}

// saveSnapshot brings the snapshot up to date with the dirty persons, if
// there are any: patched, or rebuilt when that is cheaper or there is no
// usable snapshot. It never waits for a running write.
func (s *Store) saveSnapshot(ctx context.Context, seal *sealer) error {
	if !s.writeMu.TryLock() {
		return nil
	}
	defer s.writeMu.Unlock()
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 FROM index_dirty LIMIT 1)").Scan(&n)
	if err != nil || n == 0 {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	gen, snap, ok, err := s.readSnapshot(ctx, tx, seal)
	if err != nil {
		return err
	}
	dirty, err := dirtyPersons(ctx, tx)
	if err != nil {
		return err
	}
	var es []search.Entry
	if !ok || len(dirty) > len(snap)/snapshotShare+snapshotSlack {
		es, err = s.fullEntries(ctx, tx, seal)
	} else {
		es, err = s.patchEntries(ctx, tx, seal, snap, dirty)
	}
	if err != nil {
		return err
	}
	if err := s.writeSnapshot(ctx, tx, seal, gen, es); err != nil {
		return err
	}
	return tx.Commit()
}

// readSnapshot reads the snapshot's generation (0 without one) and its
// entries; ok is false when there is none or it cannot be opened (damaged,
// another data key, an unknown format), which means a full rebuild.
func (s *Store) readSnapshot(ctx context.Context, q querier, seal *sealer) (gen int64, es []search.Entry, ok bool, err error) {
	var blob []byte
	err = q.QueryRowContext(ctx, "SELECT gen, data FROM index_snapshot WHERE id = 1").Scan(&gen, &blob)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, false, nil
	}
	if err != nil {
		return 0, nil, false, err
	}
	plain, err := seal.open(blob, snapshotAD(s.township, gen))
	if err != nil {
		return gen, nil, false, nil
	}
	es, err = decodeEntries(plain)
	if err != nil {
		return gen, nil, false, nil
	}
	return gen, es, true, nil
}

// writeSnapshot replaces the snapshot with es and empties index_dirty, in
// the transaction es was read in.
func (s *Store) writeSnapshot(ctx context.Context, tx *sql.Tx, seal *sealer, gen int64, es []search.Entry) error {
	next := gen + 1
	blob := seal.seal(encodeEntries(es), snapshotAD(s.township, next))
	if _, err := tx.ExecContext(ctx, `INSERT INTO index_snapshot(id, gen, data) VALUES(1, ?, ?)
		ON CONFLICT(id) DO UPDATE SET gen = excluded.gen, data = excluded.data`, next, blob); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "DELETE FROM index_dirty")
	return err
}

func dirtyPersons(ctx context.Context, q querier) ([]string, error) {
	return queryStrings(ctx, q, "SELECT person_id FROM index_dirty")
}

// patchEntries replaces, in the snapshot's entries, those of the dirty
// persons by their current ones read from records.
func (s *Store) patchEntries(ctx context.Context, q querier, seal *sealer, snap []search.Entry, dirty []string) ([]search.Entry, error) {
	if len(dirty) == 0 {
		return snap, nil
	}
	fresh, err := s.entriesOf(ctx, q, seal, dirty)
	if err != nil {
		return nil, err
	}
	drop := make(map[string]bool, len(dirty))
	for _, id := range dirty {
		drop[id] = true
	}
	out := make([]search.Entry, 0, len(snap)+len(fresh))
	for i := range snap {
		if !drop[snap[i].ID] {
			out = append(out, snap[i])
		}
	}
	return append(out, fresh...), nil
}

const rawColumns = "kind, id, township, person_id, archived, created_at, updated_at, data"

// entriesOf reads the current entries of some persons; persons archived
// or gone have none.
func (s *Store) entriesOf(ctx context.Context, q querier, seal *sealer, ids []string) ([]search.Entry, error) {
	var out []search.Entry
	for chunk := range slices.Chunk(ids, 500) {
		in, args := inList(chunk)
		ps, err := sealedRecords(ctx, q, seal, "SELECT "+rawColumns+" FROM records WHERE id IN "+in+" AND archived = 0 AND kind = 'person'", args...)
		if err != nil {
			return nil, err
		}
		// The unary + keeps SQLite on records_person (see refreshMany).
		ms, err := sealedRecords(ctx, q, seal, "SELECT "+rawColumns+" FROM records WHERE person_id IN "+in+" AND +kind = 'measure' AND +archived = 0", args...)
		if err != nil {
			return nil, err
		}
		out = appendEntries(out, ps, ms)
	}
	return out, nil
}

// fullEntries reads the entries of every live person.
func (s *Store) fullEntries(ctx context.Context, q querier, seal *sealer) ([]search.Entry, error) {
	ps, err := sealedRecords(ctx, q, seal, "SELECT "+rawColumns+" FROM records WHERE archived = 0 AND kind = 'person'")
	if err != nil {
		return nil, err
	}
	ms, err := sealedRecords(ctx, q, seal, "SELECT "+rawColumns+" FROM records WHERE archived = 0 AND kind = 'measure'")
	if err != nil {
		return nil, err
	}
	return appendEntries(make([]search.Entry, 0, len(ps)), ps, ms), nil
}

// appendEntries appends the entries of persons ps with their current
// measure among ms.
func appendEntries(out []search.Entry, ps, ms []*Record) []search.Entry {
	current := currentMeasures(ms)
	for _, p := range ps {
		out = append(out, entryOf(p, current[p.ID]))
	}
	return out
}

// sealedRecords runs a SELECT of rawColumns and decrypts the rows on every CPU.
func sealedRecords(ctx context.Context, q querier, seal *sealer, query string, args ...any) ([]*Record, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var raws []rawRecord
	for rows.Next() {
		r, err := scanRaw(rows)
		if err != nil {
			return nil, err
		}
		raws = append(raws, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return openAll(seal, raws)
}

// encodeEntries writes entries as: format byte, count, then per entry its
// strings (length-prefixed) and its Updated time. HasAlert is not kept:
// the store never sets it.
func encodeEntries(es []search.Entry) []byte {
	size := 1 + binary.MaxVarintLen64
	for i := range es {
		e := &es[i]
		size += len(e.ID) + len(e.Name) + len(e.IDNumber) + len(e.Village) + len(e.Status) +
			len(e.MeasureType) + len(e.Risk) + len(e.EndDate) + 8 + binary.MaxVarintLen64
	}
	b := make([]byte, 0, size)
	b = append(b, snapshotFormat)
	b = binary.AppendUvarint(b, uint64(len(es)))
	for i := range es {
		e := &es[i]
		for _, s := range [...]string{e.ID, e.Name, e.IDNumber, e.Village, e.Status, e.MeasureType, e.Risk, e.EndDate} {
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
		}
		b = binary.AppendVarint(b, e.Updated)
	}
	return b
}

var errSnapshotFormat = errors.New("index snapshot: bad format")

// decodeEntries reads what encodeEntries wrote. The strings of all
// entries share one copy of b.
func decodeEntries(b []byte) ([]search.Entry, error) {
	if len(b) < 2 || b[0] != snapshotFormat {
		return nil, errSnapshotFormat
	}
	all := string(b)
	i := 1
	n, k := binary.Uvarint(b[i:])
	if k <= 0 || n > uint64(len(b)) {
		return nil, errSnapshotFormat
	}
	i += k
	bad := false
	str := func() string {
		l, k := binary.Uvarint(b[i:])
		if k <= 0 || l > uint64(len(b)-i-k) {
			bad = true
			return ""
		}
		i += k
		s := all[i : i+int(l)]
		i += int(l)
		return s
	}
	es := make([]search.Entry, n)
	for j := range es {
		e := &es[j]
		e.ID, e.Name, e.IDNumber, e.Village = str(), str(), str(), str()
		e.Status, e.MeasureType, e.Risk, e.EndDate = str(), str(), str(), str()
		u, k := binary.Varint(b[i:])
		if bad || k <= 0 {
			return nil, errSnapshotFormat
		}
		i += k
		e.Updated = u
	}
	if i != len(b) {
		return nil, errSnapshotFormat
	}
	return es, nil
}
