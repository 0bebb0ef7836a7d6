package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Tx is one write transaction. Every Put records, in the same SQLite
// transaction, the fields it changed, the clock reading and the device, so
// that nothing written is ever out of step with the change log sync ships.
type Tx struct {
	s       *Store
	ctx     context.Context
	tx      flushTx // the SQL transaction; it inserts pending rows before any other statement
	seal    *sealer
	user    string
	touched map[string]bool // persons whose search entry must be refreshed
	changes int
	stmts   map[string]*sql.Stmt // prepared once per transaction, see stmt
	created map[string]bool      // records Put created in this transaction, see refreshAfter
	written map[string]*Record   // persons and measures saved, see refreshAfter
	hold    *IndexHold           // where refreshAfter leaves the index update, if set
	pending pendingChanges       // local change rows not yet inserted, see appendLocal
	records pendingRecords       // local record rows not yet inserted, see saveLocal

	awayChanged bool // transfers_out was written, see transfer_away.go

	foreign HLC // staged sets stamped at or before it are stamped again, see clock_shared.go
}

// Update runs fn in one write transaction; nothing of it is kept when fn or
// the commit fails.
func (s *Store) Update(ctx context.Context, fn func(*Tx) error) error {
	return s.updateAs(ctx, s.db, fn)
}

// updateAs is Update with the transaction begun on db: the county reads
// only.
func (s *Store) updateAs(ctx context.Context, db beginner, fn func(*Tx) error) error {
	if s.Session().Role == "county" {
		return ErrForbidden
	}
	return s.updateOn(ctx, db, fn)
}

// update is Update for every session: merging remote changes (Store.ApplyRemote)
// must also work on read-only county devices.
func (s *Store) update(ctx context.Context, fn func(*Tx) error) error {
	return s.updateOn(ctx, s.db, fn)
}

// beginner is where a write transaction begins: the pool, or the
// connection of a BulkWriter.
type beginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// updateOn is update with the transaction begun on db.
func (s *Store) updateOn(ctx context.Context, db beginner, fn func(*Tx) error) error {
	seal, err := s.sealerOrErr()
	if err != nil {
		return err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	sqlTx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin write: %w", err)
	}
	defer sqlTx.Rollback()
	foreign, err := s.joinStoredClock(ctx, sqlTx)
	if err != nil {
		return err
	}
	tx := &Tx{s: s, ctx: ctx, seal: seal, user: s.Session().User, touched: map[string]bool{}, foreign: foreign}
	tx.tx = flushTx{Tx: sqlTx, tx: tx}
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.flushPending(); err != nil {
		return err
	}
	if tx.changes > 0 {
		if err := s.storeClock(ctx, sqlTx); err != nil {
			return err
		}
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if tx.awayChanged {
		s.publishAway(ctx) // on error reads keep the old set until the next sign-in
	}
	s.refreshAfter(ctx, tx)
	return nil
}

// Put creates (id == "") or updates a record with the given field values,
// after normalising and validating them with the store's rules. Fields not
// named keep their value. It returns the record id. A Put that changes
// nothing writes nothing.
func (s *Store) Put(ctx context.Context, kind Kind, id string, fields map[string]string) (string, error) {
	err := s.Update(ctx, func(tx *Tx) error {
		var err error
		id, err = tx.Put(kind, id, fields)
		return err
	})
	return id, err
}

// Archive soft-deletes a record: it leaves lists but is never erased, and its
// history stays. Archiving a person does not archive their events.
func (s *Store) Archive(ctx context.Context, id string) error {
	return s.Update(ctx, func(tx *Tx) error { return tx.SetArchived(id, true) })
}

// Changes counts the rows this transaction has written so far. Importers
// compare it before and after a Put to tell an unchanged record from an
// updated one without reading the record again.
func (tx *Tx) Changes() int { return tx.changes }

// Get reads a record inside the transaction as the session may see it: a
// volunteer gets ErrNotFound outside their scope and redacted fields. The
// store's own checks and merges use tx.get, which sees everything.
func (tx *Tx) Get(id string) (*Record, error) {
	r, err := tx.get(id)
	if err != nil {
		return nil, err
	}
	if !tx.s.mayRead(r) {
		return nil, ErrNotFound
	}
	return tx.s.redact(r), nil
}

// Put is Store.Put inside a transaction.
func (tx *Tx) Put(kind Kind, id string, fields map[string]string) (string, error) {
	spec := SpecOf(kind)
	if spec == nil {
		return "", fmt.Errorf("unknown kind %q", kind)
	}
	cur, err := tx.current(kind, id)
	if err != nil {
		return "", err
	}
	if !tx.s.mayWrite(kind, cur, fields) {
		return "", ErrForbidden
	}
	if err := tx.refuseAway(cur, fields); err != nil {
		return "", err
	}
	merged, err := tx.s.prepare(tx, spec, cur, fields)
	if err != nil {
		return "", err
	}
	if err := tx.checkUnique(spec, cur, merged); err != nil {
		return "", err
	}
	// Derived fields go with their source even when unchanged (apply_derived.go).
	return cur.ID, tx.write(cur, withDerived(kind, diff(cur.Fields, merged), merged))
}

// SetArchived archives or restores a record.
func (tx *Tx) SetArchived(id string, archived bool) error {
	cur, err := tx.get(id)
	if err != nil {
		return err
	}
	if !tx.s.mayWrite(cur.Kind, cur, nil) {
		return ErrForbidden
	}
	if err := tx.refuseAway(cur, nil); err != nil {
		return err
	}
	v := flag(archived)
	// A restored person may collide with a live one registered meanwhile.
	if !archived && cur.Archived {
		if err := tx.checkUnique(SpecOf(cur.Kind), cur, cur.Fields); err != nil {
			return err
		}
	}
	return tx.write(cur, diff(map[string]string{FieldArchived: flag(cur.Archived)}, map[string]string{FieldArchived: v}))
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return ""
}

// current loads the record to update, or a blank one to create.
func (tx *Tx) current(kind Kind, id string) (*Record, error) {
	if id == "" {
		r := &Record{Kind: kind, ID: newRecordID(), Township: tx.s.township,
			Fields: map[string]string{}, Versions: map[string]string{}}
		tx.noteCreated(r.ID)
		return r, nil
	}
	cur, err := tx.get(id)
	if errors.Is(err, ErrNotFound) {
		if _, perr := uuid.Parse(id); perr != nil {
			return nil, fmt.Errorf("invalid record id %q", id)
		}
		return &Record{Kind: kind, ID: id, Township: tx.s.township, Fields: map[string]string{}, Versions: map[string]string{}}, nil
	}
	if err != nil {
		return nil, err
	}
	if cur.Kind != kind {
		return nil, fmt.Errorf("record %s is a %s, not a %s", id, cur.Kind, kind)
	}
	return cur, nil
}

// diff lists the fields whose value differs, with the new value.
func diff(old, merged map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range merged {
		if old[k] != v {
			out[k] = v
		}
	}
	for k, v := range old {
		if _, ok := merged[k]; !ok && v != "" {
			out[k] = ""
		}
	}
	return out
}

// Change is one entry of the field-change log: the fields one write set,
// with, for each field, the versions it replaced (its bases). Sync ships
// changes; a change whose bases are not the receiver's current version is
// concurrent with it.
type Change struct {
	Seq      int64
	HLC      HLC
	Device   string
	Kind     Kind
	EntityID string
	Township string
	PersonID string
	User     string
	Fields   map[string]string
	Bases    map[string][]string
}

// Version is the version every field of this change is written at.
func (c *Change) Version() Version { return Version{HLC: c.HLC, Device: c.Device} }

type changePayload struct {
	Fields map[string]string   `json:"f"`
	Bases  map[string][]string `json:"b,omitempty"`
}

// write applies changed fields to a record, stamps them with a new clock
// reading and appends the change to the log.
func (tx *Tx) write(cur *Record, changed map[string]string) error {
	return tx.writeSeen(cur, changed, nil)
}

// writeSeen is write with, per field, versions the writer saw besides the
// current one (a resolved conflict's losing value): listing them as bases
// closes those conflicts on every replica.
func (tx *Tx) writeSeen(cur *Record, changed map[string]string, seen map[string][]string) error {
	if len(changed) == 0 {
		return nil
	}
	ch := &Change{HLC: tx.s.clock.Now(), Device: tx.s.device, Kind: cur.Kind, EntityID: cur.ID,
		Township: cur.Township, User: tx.user, Fields: changed, Bases: map[string][]string{}}
	for f := range changed {
		if b := cur.Versions[f]; b != "" {
			ch.Bases[f] = []string{b}
		}
		if len(seen[f]) > 0 {
			ch.Bases[f] = append(ch.Bases[f], seen[f]...)
		}
	}
	// Keep the merge state (open conflicts, see apply.go) in step with
	// local edits; it may add bases, so it runs before the change is sealed.
	if err := tx.noteLocalWrite(cur, ch); err != nil {
		return err
	}
	ApplyFields(cur, ch.Fields, ch.Version())
	ch.PersonID = cur.PersonID
	if err := tx.saveLocal(cur); err != nil {
		return err
	}
	return tx.appendLocal(ch)
}

// ApplyFields sets field values on a record at a version and keeps the
// record's clear metadata (archived flag, township, person link) in step.
func ApplyFields(r *Record, fields map[string]string, v Version) {
	applyFieldsAt(r, fields, v.String(), v.HLC.Time())
}

// applyFieldsAt is ApplyFields for version vs, at time t of its clock.
func applyFieldsAt(r *Record, fields map[string]string, vs string, t time.Time) {
	for f, val := range fields {
		if val == "" {
			delete(r.Fields, f)
		} else {
			r.Fields[f] = val
		}
		r.Versions[f] = vs
	}
	stampMeta(r, t)
}

// stampMeta keeps a record's clear metadata and times in step with its
// fields after a write at time t.
func stampMeta(r *Record, t time.Time) {
	syncMeta(r)
	if r.Created.IsZero() {
		r.Created = t
	}
	if t.After(r.Updated) {
		r.Updated = t
	}
}

// Statements of record and change writes. A merge of many remote changes
// prepares them once per batch (apply_merge.go) instead of parsing them for
// every row. created_at keeps the earliest change's time: a merge may learn
// of a record's creation after its edits.
const (
	recordUpsert = `INSERT INTO records(` + recordColumns + `, natural_key) VALUES(?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET township=excluded.township, person_id=excluded.person_id, archived=excluded.archived,
		created_at=min(records.created_at, excluded.created_at), updated_at=excluded.updated_at,
		versions=excluded.versions, data=excluded.data, natural_key=excluded.natural_key`
	changeInsert = changeInsertLocal + ` ON CONFLICT(hlc, device) DO NOTHING`
	// changeInsertLocal fails on a reading already logged: a local change
	// has a fresh reading, and dropping one would lose an edit unseen.
	changeInsertLocal = `INSERT INTO changes(hlc, device, kind, entity_id, township, person_id, user_name, local, payload)
		VALUES(?,?,?,?,?,?,?,?,?)`
)

// recordArgs seals a record into the arguments of recordUpsert.
func (tx *Tx) recordArgs(r *Record) ([]any, error) {
	data, err := sealStrings(tx.seal, r.Fields, recordAD(r.ID))
	if err != nil {
		return nil, err
	}
	versions, err := encodeVersions(r.Versions)
	if err != nil {
		return nil, err
	}
	return []any{string(r.Kind), r.ID, r.Township, r.PersonID, r.Archived, r.Created.UnixMilli(), r.Updated.UnixMilli(),
		versions, data, tx.seal.recordKey(r)}, nil
}

// saved does the bookkeeping of a record write that returned err.
func (tx *Tx) saved(r *Record, err error) error {
	if err != nil {
		return fmt.Errorf("save %s %s: %w", r.Kind, r.ID, err)
	}
	if r.PersonID != "" {
		tx.touched[r.PersonID] = true
	}
	tx.noteWritten(r)
	tx.changes++
	return nil
}

// AppendChange adds a change to the log; local marks changes made on this
// device (to be pushed). A remote change already in the log is ignored,
// so delivering the same change twice is harmless; a local one is an error.
func (tx *Tx) AppendChange(ch *Change, local bool) error {
	if err := tx.flushPending(); err != nil { // keep the log in write order
		return err
	}
	args, err := tx.changeArgs(ch, local)
	if err != nil {
		return err
	}
	stmt := changeInsert
	if local {
		stmt = changeInsertLocal
	}
	res, err := tx.q().ExecContext(tx.ctx, stmt, args...)
	return tx.appended(ch, res, err)
}

// changeArgs seals a change into the arguments of changeInsert.
func (tx *Tx) changeArgs(ch *Change, local bool) ([]any, error) {
	return tx.changeArgsAt(ch, local, ch.HLC.String(), nil)
}

// changeArgsAt is changeArgs for a change whose clock reads hlc, with the
// strings boxed already in boxes (see argBoxes) taken from there.
func (tx *Tx) changeArgsAt(ch *Change, local bool, hlc string, boxes argBoxes) ([]any, error) {
	payload, err := sealPayload(tx.seal, ch.Fields, ch.Bases, changeADAt(hlc, ch.Device))
	if err != nil {
		return nil, err
	}
	return []any{hlc, boxes.arg(ch.Device), boxes.arg(string(ch.Kind)), boxes.arg(ch.EntityID), boxes.arg(ch.Township),
		boxes.arg(ch.PersonID), boxes.arg(ch.User), local, payload}, nil
}

// appended does the bookkeeping of a change insert: ch.Seq is set when the
// change was new to the log.
func (tx *Tx) appended(ch *Change, res sql.Result, err error) error {
	if err != nil {
		return fmt.Errorf("log change: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		ch.Seq, _ = res.LastInsertId()
	}
	tx.changes++
	return nil
}

func changeAD(h HLC, device string) []byte { return changeADAt(h.String(), device) }

func changeADAt(hlc, device string) []byte {
	b := make([]byte, 0, 8+len(hlc)+len(device))
	return append(append(append(append(b, "change:"...), hlc...), '@'), device...)
}

// syncMeta keeps a record's clear metadata (archived flag, township, person
// link) in step with its fields, after fields were set or replayed.
func syncMeta(r *Record) {
	r.Archived = r.Fields[FieldArchived] == "1"
	if t := r.Fields[FieldTownship]; t != "" {
		r.Township = t
	}
	if r.Kind == KindPerson {
		r.PersonID = r.ID
	} else if p := r.Fields["person"]; p != "" {
		r.PersonID = p
	}
}
