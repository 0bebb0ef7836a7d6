package store

import (
	"database/sql"
	"errors"
	"fmt"
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
	present      *sql.Stmt
	stats        ApplyStats
	scopeChanged bool // an assignment or account changed: volunteer scope may differ
}

// entity is one record being merged with its non-current versions.
type entity struct {
	rec         *Record
	exists      bool   // the record was in the database before this batch
	wasArchived bool   // archived before this batch (may have an archive conflict)
	person      string // person before this batch, whose search entry may change
	created     int64  // created_at before this batch (unix ms)
	dirty       bool
	orig, cur   map[versionKey]string // merge_versions rows: loaded and current
}

// versionKey names one version of one field of the entity.
type versionKey struct{ field, version string }

func newMerger(tx *Tx) *merger {
	return &merger{tx: tx, ents: map[string]*entity{}}
}

func (m *merger) close() {
	if m.present != nil {
		m.present.Close()
	}
}

// apply merges one change into the batch.
func (m *merger) apply(ch *Change) error {
	if err := checkChange(ch); err != nil {
		return err
	}
	e, err := m.entity(ch)
	if err != nil {
		return err
	}
	logged := *ch
	logged.Seq = 0 // a remote change's sequence is the sender's, not ours
	if err := m.tx.AppendChange(&logged, false); err != nil {
		return err
	}
	if logged.Seq == 0 {
		m.stats.Duplicate++
		return nil
	}
	m.tx.s.clock.Observe(ch.HLC)
	m.stats.Applied++
	m.stats.Fields += len(ch.Fields)
	return m.merge(e, ch)
}

// entity returns the cached record a change is about, loading it (or
// starting a blank one) on first use.
func (m *merger) entity(ch *Change) (*entity, error) {
	if e := m.ents[ch.EntityID]; e != nil {
		return e, kindMatches(e.rec, ch)
	}
	r, err := m.tx.s.getRecord(m.tx.ctx, m.tx.tx, ch.EntityID)
	e := &entity{rec: r, exists: err == nil, orig: map[versionKey]string{}, cur: map[versionKey]string{}}
	switch {
	case errors.Is(err, ErrNotFound):
		// An edit may arrive before the record's creation: start it blank.
		e.rec = &Record{Kind: ch.Kind, ID: ch.EntityID, Township: ch.Township,
			Fields: map[string]string{}, Versions: map[string]string{}}
	case err != nil:
		return nil, err
	default:
		if err := kindMatches(r, ch); err != nil {
			return nil, err
		}
		if err := m.loadVersions(e); err != nil {
			return nil, err
		}
	}
	e.wasArchived, e.person, e.created = e.rec.Archived, e.rec.PersonID, e.rec.Created.UnixMilli()
	m.ents[ch.EntityID] = e
	m.order = append(m.order, ch.EntityID)
	return e, nil
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
	rows, err := m.tx.tx.QueryContext(m.tx.ctx, "SELECT field, version, state FROM merge_versions WHERE entity_id = ?", e.rec.ID)
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
		e.orig[k], e.cur[k] = st, st
	}
	return rows.Err()
}

// merge applies a new change's fields to the entity, field by field.
func (m *merger) merge(e *entity, ch *Change) error {
	v := ch.Version().String()
	won := map[string]string{}
	for f, val := range ch.Fields {
		ok, err := m.mergeField(e, f, v, ch.Bases[f])
		if err != nil {
			return err
		}
		if ok {
			won[f] = val
		}
	}
	if len(won) > 0 {
		ApplyFields(e.rec, won, ch.Version())
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
	default:
		known, err := m.inLog(b)
		if err != nil {
			return err
		}
		if !known {
			e.cur[k] = stateGhost
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
	e.cur[versionKey{f, v}] = stateLoser
	m.stats.Conflicts++
}

func isDerived(k Kind, field string) bool {
	fd, ok := SpecOf(k).Field(field)
	return ok && fd.Derived
}

// inLog reports whether the change that wrote a version is in the log.
func (m *merger) inLog(version string) (bool, error) {
	h, dev, ok := strings.Cut(version, "@")
	if !ok {
		return false, nil
	}
	if m.present == nil {
		st, err := m.tx.tx.PrepareContext(m.tx.ctx, "SELECT 1 FROM changes WHERE hlc = ? AND device = ?")
		if err != nil {
			return false, err
		}
		m.present = st
	}
	var one int
	err := m.present.QueryRowContext(m.tx.ctx, h, dev).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}
