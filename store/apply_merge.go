package store

import (
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"strings"
)

// Merge states of a version in merge_versions.
const (
	stateLoser = "loser"
	stateGhost = "ghost"
)

// merger applies a batch of remote changes inside one transaction. It reads
// each record and its merge state once, merges every change of the batch in
// memory and writes each record once at flush.
type merger struct {
	tx           *Tx
	ents         map[string]*entity
	order        []string // entity ids in first-touch order
	stmts        map[string]*sql.Stmt
	pending      map[string]bool   // versions of the batch logged but not merged yet
	absent       map[string]bool   // ids the prefetch did not find: new records
	known        map[string]bool   // versions merged (see inLog), learnt during the batch
	decoding     *ahead[openedRow] // fields of the prefetched records, see opened
	undecoded    []*entity         // the records decoding fills in, in its order
	end          int64             // greatest sequence number of the log (see logEnd)
	endKnown     bool
	stats        ApplyStats
	scopeChanged bool     // an assignment or account changed: volunteer scope may differ
	boxes        argBoxes // the batch's repeated arguments, boxed once
	versionDels  []any    // merge_versions rows to delete at flush, 3 arguments each
	versionPuts  []any    // and to insert, 4 arguments each
}

// Statements the merger runs once or more per change, prepared once per batch.
const (
	sqlGetRecord   = "SELECT " + recordColumns + " FROM records WHERE id = ?"
	sqlGetVersions = "SELECT field, version, state FROM merge_versions WHERE entity_id = ?"
	sqlInLog       = "SELECT 1 FROM changes WHERE hlc = ? AND device = ?"
)

// entity is one record being merged with its non-current versions.
type entity struct {
	rec         *Record
	exists      bool   // the record was in the database before this batch
	wasArchived bool   // archived before this batch (may have an archive conflict)
	person      string // person before this batch, whose search entry may change
	idNumber    string // ID number before this batch (a person's natural key)
	dirty       bool
	orig, cur   map[versionKey]string // merge_versions rows: loaded and current (nil: none)
}

// loaded records a merge_versions row read from the database.
func (e *entity) loaded(k versionKey, st string) {
	if e.orig == nil {
		e.orig = map[versionKey]string{}
	}
	e.orig[k] = st
	e.set(k, st)
}

// set gives version k a merge state; most records have none, and get no
// map.
func (e *entity) set(k versionKey, st string) {
	if e.cur == nil {
		e.cur = map[versionKey]string{}
	}
	e.cur[k] = st
}

// versionKey names one version of one field of the entity.
type versionKey struct{ field, version string }

func newMerger(tx *Tx) *merger {
	return &merger{tx: tx, ents: map[string]*entity{}, stmts: map[string]*sql.Stmt{}, absent: map[string]bool{},
		known: map[string]bool{}}
}

func (m *merger) close() {
	for _, st := range m.stmts {
		st.Close()
	}
}

// stmt returns a statement prepared in the batch's transaction.
func (m *merger) stmt(query string) (*sql.Stmt, error) {
	// A merge reads and writes the change log itself.
	if err := m.tx.flushPending(); err != nil {
		return nil, err
	}
	if st := m.stmts[query]; st != nil {
		return st, nil
	}
	var st *sql.Stmt
	if shared := m.tx.s.mergeStmts.get(m.tx.ctx, m.tx.s.db, query); shared != nil {
		st = m.tx.tx.StmtContext(m.tx.ctx, shared)
	} else {
		var err error
		if st, err = m.tx.tx.PrepareContext(m.tx.ctx, query); err != nil {
			return nil, fmt.Errorf("prepare merge: %w", err)
		}
	}
	m.stmts[query] = st
	return st, nil
}

// exec runs a prepared statement.
func (m *merger) exec(query string, args ...any) (sql.Result, error) {
	st, err := m.stmt(query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(m.tx.ctx, args...)
}

// getRecord reads a record as it is in the database.
func (m *merger) getRecord(id string) (*Record, error) {
	st, err := m.stmt(sqlGetRecord)
	if err != nil {
		return nil, err
	}
	r, err := m.tx.s.scanRecord(m.tx.seal, st.QueryRowContext(m.tx.ctx, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return r, err
}

// entity returns the cached record a change is about, loading it (or
// starting a blank one) on first use.
func (m *merger) entity(ch *Change) (*entity, error) {
	if e := m.ents[ch.EntityID]; e != nil {
		return e, kindMatches(e.rec, ch)
	}
	var r *Record
	err := ErrNotFound
	if !m.absent[ch.EntityID] {
		r, err = m.getRecord(ch.EntityID)
	}
	switch {
	case errors.Is(err, ErrNotFound):
		// An edit may arrive before the record's creation: start it blank.
		e := m.adopt(&Record{Kind: ch.Kind, ID: ch.EntityID, Township: ch.Township,
			Fields: map[string]string{}, Versions: map[string]string{}})
		e.exists = false
		return e, nil
	case err != nil:
		return nil, err
	}
	if err := kindMatches(r, ch); err != nil {
		return nil, err
	}
	e := m.adopt(r)
	return e, m.loadVersions(e)
}

func kindMatches(r *Record, ch *Change) error {
	if r.Kind != ch.Kind {
		return &BadChangeError{Version: ch.Version().String(), EntityID: ch.EntityID,
			Reason: fmt.Sprintf("record is a %s, not a %s", r.Kind, ch.Kind)}
	}
	return nil
}

// loadVersions reads the entity's losers and ghosts.
func (m *merger) loadVersions(e *entity) error {
	st, err := m.stmt(sqlGetVersions)
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(m.tx.ctx, e.rec.ID)
	if err != nil {
		return fmt.Errorf("read merge state: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k versionKey
		var st string
		if err := rows.Scan(&k.field, &k.version, &st); err != nil {
			return err
		}
		e.loaded(k, st)
	}
	return rows.Err()
}

// merge applies a new change's fields to the entity, field by field; v is
// the change's version.
func (m *merger) merge(e *entity, ch *Change, v string) error {
	var lost []string // most changes win every field: then no map is built
	for f := range ch.Fields {
		ok, err := m.mergeField(e, f, v, ch.Bases[f])
		if err != nil {
			return err
		}
		if !ok {
			lost = append(lost, f)
		}
	}
	if won := wonFields(ch.Fields, lost); len(won) > 0 {
		applyFieldsAt(e.rec, won, v, ch.HLC.Time())
	}
	// Created/Updated span all changes, so they do not depend on arrival order.
	if t := ch.HLC.Time(); t.Before(e.rec.Created) || e.rec.Created.IsZero() {
		e.rec.Created = t
	}
	if t := ch.HLC.Time(); t.After(e.rec.Updated) {
		e.rec.Updated = t
	}
	if ch.Kind == KindAssignment || ch.Kind == KindAccount {
		m.scopeChanged = true
	}
	e.dirty = true
	return nil
}

// wonFields is fields without the lost ones (fields itself when none was
// lost: it is only read).
func wonFields(fields map[string]string, lost []string) map[string]string {
	if len(lost) == 0 {
		return fields
	}
	won := maps.Clone(fields)
	for _, f := range lost {
		delete(won, f)
	}
	return won
}

// mergeField merges version v of field f, which replaced the versions in
// bases, and reports whether v becomes the current value.
func (m *merger) mergeField(e *entity, f, v string, bases []string) (bool, error) {
	cur := e.rec.Versions[f]
	curSeen := false
	for _, b := range bases {
		if err := m.supersede(e, f, b, cur, &curSeen); err != nil {
			return false, err
		}
	}
	if e.cur[versionKey{f, v}] == stateGhost {
		// A change already merged replaced v: it arrives superseded.
		delete(e.cur, versionKey{f, v})
		return false, nil
	}
	// Version strings order as versions do (fixed-width clock first).
	if cur == "" || cur < v {
		if cur != "" && !curSeen {
			m.lose(e, f, cur)
		}
		if cur != "" {
			// A current value's change is merged; concurrent twins of v
			// name it as their base too, and need not ask the log.
			m.known[cur] = true
		}
		return true, nil
	}
	m.lose(e, f, v)
	return false, nil
}

// supersede records that base b of field f was seen by a newer change: the
// current value (replaced anyway), an open conflict (closed) or a version not
// received yet (a ghost, superseded on arrival).
func (m *merger) supersede(e *entity, f, b, cur string, curSeen *bool) error {
	k := versionKey{f, b}
	switch {
	case b == cur:
		*curSeen = true
	case e.cur[k] == stateLoser:
		delete(e.cur, k)
	case e.cur[k] == stateGhost:
	case m.known[b]:
	default:
		known, err := m.inLog(b)
		if err != nil {
			return err
		}
		if !known {
			e.set(k, stateGhost)
		}
	}
	return nil
}

// lose keeps version v of field f as an open conflict. Derived fields follow
// their source field, whose conflict is the one the officer resolves.
func (m *merger) lose(e *entity, f, v string) {
	if isDerived(e.rec.Kind, f) {
		return
	}
	e.set(versionKey{f, v}, stateLoser)
	m.stats.Conflicts++
}

func isDerived(k Kind, field string) bool {
	fd, ok := SpecOf(k).Field(field)
	return ok && fd.Derived
}

// inLog reports whether the change that wrote a version is in the log and
// merged. Versions merged in this batch or found current are known
// without asking.
func (m *merger) inLog(version string) (bool, error) {
	h, dev, ok := strings.Cut(version, "@")
	if !ok || m.pending[version] {
		return false, nil
	}
	st, err := m.stmt(sqlInLog)
	if err != nil {
		return false, err
	}
	var one int
	err = st.QueryRowContext(m.tx.ctx, h, dev).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}
