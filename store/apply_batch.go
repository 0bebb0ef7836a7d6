package store

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// logChunk is how many changes one INSERT logs: one statement per change
// would cost more than the merge itself.
const logChunk = 64

// applyAll merges a batch: malformed changes are skipped and listed, the
// others logged, and those new to the log merged in batch order. Changes
// are checked and sealed, and records decrypted and encrypted again, on a
// second goroutine while SQLite works (see ahead).
func (m *merger) applyAll(changes []*Change) error {
	m.boxes = boxArgs(changes)
	sealed := computeAhead(len(changes), func(i int) sealedChange { return m.sealChange(changes[i]) })
	defer sealed.wait()
	defer m.opened() // no decoding goroutine outlives the batch
	if err := m.prefetch(changes); err != nil {
		return err
	}
	admitted, err := m.admit(changes, sealed)
	if err != nil {
		return err
	}
	fresh, err := m.logNew(admitted)
	if err != nil {
		return err
	}
	if err := m.opened(); err != nil {
		return err
	}
	// Logged already, but not merged yet: a base naming one of these is a
	// ghost until it is merged (see inLog).
	m.pending = make(map[string]bool, len(fresh))
	for _, ch := range fresh {
		m.pending[ch.version] = true
	}
	for _, ch := range fresh {
		delete(m.pending, ch.version)
		m.tx.s.observeRemote(ch.HLC)
		m.stats.Applied++
		m.stats.Fields += len(ch.Fields)
		if err := m.merge(m.ents[ch.EntityID], ch.Change, ch.version); err != nil {
			return err
		}
		m.known[ch.version] = true
	}
	return m.flush()
}

// sealedChange is a change of the batch with checkChange's verdict and,
// when well-formed, its log row's arguments.
type sealedChange struct {
	*Change
	bad     error // why the change is malformed
	version string
	args    []any
	err     error // sealing failed
}

func (m *merger) sealChange(ch *Change) sealedChange {
	var hlc, version string
	if ch != nil && !ch.HLC.IsZero() {
		hlc = ch.HLC.String()
		version = hlc + "@" + ch.Device // Version.String, its clock formatted once
	}
	if err := checkChange(ch, version); err != nil {
		return sealedChange{Change: ch, bad: err}
	}
	args, err := m.tx.changeArgsAt(ch, false, hlc, m.boxes)
	return sealedChange{Change: ch, version: version, args: args, err: err}
}

// admit returns the well-formed changes of a batch, each once, and lists
// the others as rejected. A change about a record of another kind is
// malformed too.
func (m *merger) admit(changes []*Change, sealed *ahead[sealedChange]) ([]sealedChange, error) {
	out := make([]sealedChange, 0, len(changes))
	seen := make(map[Version]*Change, len(changes))
	for i, ch := range changes {
		sc := sealed.get(i)
		err := sc.bad
		if err == nil {
			err = m.tx.s.checkAhead(ch)
		}
		if err == nil {
			_, err = m.entity(ch)
		}
		var first *Change
		if err == nil {
			if first = seen[ch.Version()]; first != nil {
				err = reused(first, ch)
			}
		}
		var bad *BadChangeError
		switch {
		case errors.As(err, &bad):
			m.stats.Rejected = append(m.stats.Rejected, bad)
		case err != nil:
			return nil, err
		case first != nil:
			m.stats.Duplicate++
		default:
			seen[ch.Version()] = ch
			out = append(out, sc)
		}
	}
	return out, nil
}

// reused returns a BadChangeError when two different changes carry the
// same version: a database file copied to a second laptop writes under the
// same device id, and dropping one as a "duplicate" would lose it silently.
func reused(had, ch *Change) error {
	if had.Kind == ch.Kind && had.EntityID == ch.EntityID && maps.Equal(had.Fields, ch.Fields) &&
		maps.EqualFunc(basesOf(had), basesOf(ch), slices.Equal[[]string]) {
		return nil
	}
	return &BadChangeError{Version: ch.Version().String(), EntityID: ch.EntityID,
		Reason: "another change has the same version (a copied database?)"}
}

// basesOf is a change's bases without empty entries, which encodings may
// keep or drop.
func basesOf(ch *Change) map[string][]string {
	out := make(map[string][]string, len(ch.Bases))
	for k, v := range ch.Bases {
		if len(v) > 0 {
			out[k] = v
		}
	}
	return out
}

// logNew appends changes to the log, a chunk per statement, and returns
// those that were not in it yet, in order.
func (m *merger) logNew(changes []sealedChange) ([]sealedChange, error) {
	fresh := make([]sealedChange, 0, len(changes))
	for lo := 0; lo < len(changes); lo += logChunk {
		chunk := changes[lo:min(lo+logChunk, len(changes))]
		added, err := m.logChunk(chunk)
		if err != nil {
			return nil, err
		}
		for _, ch := range chunk {
			if added == nil || added[ch.Version()] {
				fresh = append(fresh, ch)
				continue
			}
			if err := m.checkDuplicate(ch.Change); err != nil {
				return nil, err
			}
		}
	}
	return fresh, nil
}

// logChunk inserts changes in one statement and returns the versions it
// added (a change already in the log is left alone), or nil when it added
// them all. RETURNING would name them, but costs more than the insert of
// a row; the rows a statement adds are those numbered above the log's
// previous end, and only a chunk with duplicates needs to read them.
func (m *merger) logChunk(chunk []sealedChange) (map[Version]bool, error) {
	args := make([]any, 0, len(chunk)*9)
	for _, ch := range chunk {
		if ch.err != nil {
			return nil, ch.err
		}
		args = append(args, ch.args...)
	}
	end, err := m.logEnd()
	if err != nil {
		return nil, err
	}
	res, err := m.exec(multiInsert(len(chunk)), args...)
	if err != nil {
		return nil, fmt.Errorf("log changes: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return nil, err
	}
	m.tx.changes += int(n)
	if n > 0 {
		if m.end, err = res.LastInsertId(); err != nil {
			return nil, err
		}
	}
	if int(n) == len(chunk) {
		return nil, nil
	}
	return m.loggedAfter(end)
}

// logEnd returns the greatest sequence number of the log, read once per
// batch and then kept up to date by logChunk.
func (m *merger) logEnd() (int64, error) {
	if m.endKnown {
		return m.end, nil
	}
	st, err := m.stmt(sqlLogEnd)
	if err == nil {
		err = st.QueryRowContext(m.tx.ctx).Scan(&m.end)
	}
	m.endKnown = err == nil
	return m.end, err
}

// loggedAfter returns the versions of the log rows numbered above seq.
func (m *merger) loggedAfter(seq int64) (map[Version]bool, error) {
	st, err := m.stmt("SELECT hlc, device FROM changes WHERE seq > ?")
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(m.tx.ctx, seq)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	added := map[Version]bool{}
	for rows.Next() {
		var h string
		var v Version
		if err := rows.Scan(&h, &v.Device); err != nil {
			return nil, err
		}
		if v.HLC, err = ParseHLC(h); err != nil {
			return nil, err
		}
		added[v] = true
	}
	return added, rows.Err()
}

// oneRow is the VALUES tuple of changeInsert.
const oneRow = "VALUES(?,?,?,?,?,?,?,?,?)"

// multiInsert is changeInsert for n changes.
func multiInsert(n int) string {
	rows := "VALUES" + strings.Repeat("(?,?,?,?,?,?,?,?,?),", n-1) + "(?,?,?,?,?,?,?,?,?)"
	return strings.Replace(changeInsert, oneRow, rows, 1)
}

// checkDuplicate counts a change the log already had, or rejects it when
// the logged change with its version is a different one.
func (m *merger) checkDuplicate(ch *Change) error {
	had, err := m.tx.changeAt(ch.Version().String())
	if err != nil || had == nil {
		return err
	}
	var bad *BadChangeError
	if errors.As(reused(had, ch), &bad) {
		m.stats.Rejected = append(m.stats.Rejected, bad)
		return nil
	}
	m.stats.Duplicate++
	return nil
}
