package store

import (
	"errors"
	"fmt"
	"maps"

	"rehabdesk/store/valid"
)

// ErrNeedsDatabase is returned by a staged Put that cannot be decided
// without the database: an update of a stored record or a link to one. The
// caller then writes that row through a transaction (Tx.Put) instead.
var ErrNeedsDatabase = errors.New("staged write needs the database")

// Staged is a set of new records prepared outside any transaction, so that
// a bulk import can normalise, validate, encode and seal its next rows on
// one goroutine while another writes the previous ones to SQLite (which
// allows one writer at a time). Tx.PutStaged then inserts them; until then
// nothing is stored.
//
// A staged Put does what Tx.Put does for a record it creates (the same
// rules, derived fields, field versions and change-log entry, stamped with
// the clock and device), and may update a record staged in the same set.
// Two checks need the database and happen at insertion instead: the
// uniqueness of ID numbers (Tx.StagedClashes) and links to stored records
// (refused here with ErrNeedsDatabase). Merge state needs no update: a
// record that was never stored has no conflicts.
type Staged struct {
	s       *Store
	seal    *sealer
	user    string
	order   []*Record   // records in the order they were staged
	changes []*Change   // change-log entries in write order
	rows    *stagedRows // sealed, see Seal
}

// stagedRows are a Staged set's rows as the arguments of bulkInsertRows
// and localInsertRows.
type stagedRows struct {
	records [][]any
	changes [][]any
}

// Stage starts an empty staged set for the signed-in session.
func (s *Store) Stage() (*Staged, error) {
	seal, err := s.sealerOrErr()
	if err != nil {
		return nil, err
	}
	sess := s.Session()
	if sess.Role == "county" {
		return nil, ErrForbidden
	}
	return &Staged{s: s, seal: seal, user: sess.User}, nil
}

// Len is the number of records staged.
func (sg *Staged) Len() int { return len(sg.order) }

// Put stages the creation of a record (id == "") or an update of one staged
// earlier in this set, as Tx.Put would write it.
func (sg *Staged) Put(kind Kind, id string, fields map[string]string) (string, error) {
	spec := SpecOf(kind)
	if spec == nil {
		return "", fmt.Errorf("unknown kind %q", kind)
	}
	cur, err := sg.current(kind, id, len(fields))
	if err != nil {
		return "", err
	}
	if !sg.s.mayWrite(kind, cur, fields) {
		return "", ErrForbidden
	}
	merged, err := sg.s.prepare(sg, spec, cur, fields)
	if err != nil {
		return "", err
	}
	// A new record's change is every value merged (prepare drops empty
	// ones), the map diff would copy.
	created := len(cur.Versions) == 0
	changed := merged
	if !created {
		changed = withDerived(kind, diff(cur.Fields, merged), merged)
	}
	if len(changed) == 0 {
		return cur.ID, nil
	}
	sg.rows = nil
	ch := &Change{HLC: sg.s.clock.Now(), Device: sg.s.device, Kind: kind, EntityID: cur.ID,
		Township: cur.Township, User: sg.user, Fields: changed}
	if created {
		// The record's values are its change's: one map for both (a map
		// per record was a tenth of what an import allocates): only the
		// versions are set. An update later in this set copies
		// them first, below. A new record's change has no bases.
		cur.Fields = ch.Fields
		v := ch.Version()
		vs := v.String()
		for f := range ch.Fields {
			cur.Versions[f] = vs
		}
		stampMeta(cur, v.HLC.Time())
		sg.order = append(sg.order, cur)
	} else {
		ch.Bases = map[string][]string{}
		for f := range changed {
			if b := cur.Versions[f]; b != "" {
				ch.Bases[f] = []string{b}
			}
		}
		cur.Fields = maps.Clone(cur.Fields)
		ApplyFields(cur, ch.Fields, ch.Version())
	}
	ch.PersonID = cur.PersonID
	sg.changes = append(sg.changes, ch)
	return cur.ID, nil
}

// current is a blank record to create, or the staged record to update.
// A new record's maps are made for the fields given and a few derived
// ones: grown from empty they were rehashed on the way.
func (sg *Staged) current(kind Kind, id string, fields int) (*Record, error) {
	if id == "" {
		// Fields is set to the change's values in Put.
		return &Record{Kind: kind, ID: newRecordID(), Township: sg.s.township,
			Versions: make(map[string]string, fields+4)}, nil
	}
	r := sg.find(id)
	if r == nil {
		return nil, ErrNeedsDatabase
	}
	if r.Kind != kind {
		return nil, fmt.Errorf("record %s is a %s, not a %s", id, r.Kind, kind)
	}
	return r, nil
}

// find returns the staged record with the id, or nil. A set holds the few
// records of one ledger row: a scan costs less than a map per set.
func (sg *Staged) find(id string) *Record {
	for _, r := range sg.order {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// checkRef accepts links to records of this set only.
func (sg *Staged) checkRef(f Field, id string) error {
	r := sg.find(id)
	if r == nil {
		return ErrNeedsDatabase
	}
	if r.Kind != f.Ref {
		return &valid.Error{Field: f.Name, Code: valid.CodeEnum, Value: id}
	}
	return nil
}

// Seal encodes and encrypts the set's rows. PutStaged seals a set not yet
// sealed; calling Seal beforehand does that work on the caller's goroutine.
func (sg *Staged) Seal() error {
	if sg.rows != nil {
		return nil
	}
	rows := &stagedRows{records: make([][]any, len(sg.order)), changes: make([][]any, len(sg.changes))}
	args := newRowArgs(sg.s.township, len(sg.order), len(sg.changes))
	for i, r := range sg.order {
		c := sg.onlyChange(r.ID)
		var ch *Change
		if c >= 0 && len(sg.changes[c].Bases) == 0 && len(sg.changes[c].Fields) == len(r.Fields) {
			// The only write of a new record set every field it has: its
			// payload is {"f": the record's fields}, encoded once for both.
			ch = sg.changes[c]
		}
		var err error
		if rows.records[i], err = recordRow(sg.seal, args, r, ch, rows.changes[max(c, 0):]); err != nil {
			return err
		}
	}
	for i, ch := range sg.changes {
		if rows.changes[i] != nil {
			continue
		}
		hlc := ch.HLC.String()
		payload, err := sealPayload(sg.seal, ch.Fields, ch.Bases, changeADAt(hlc, ch.Device))
		if err != nil {
			return err
		}
		rows.changes[i] = localRow(args.change(), hlc, boxedKind(ch.Kind), ch.EntityID, args.townshipOf(ch.Township), ch.PersonID, payload)
	}
	sg.rows = rows
	return nil
}

// rowArgs hands out a staged set's rows from two backing arrays and boxes
// the values rows repeat (kinds, the township) once: every []any made and
// every string or number converted to any is an allocation.
type rowArgs struct {
	records, changes []any
	township         string
	boxedTownship    any
}

func newRowArgs(township string, records, changes int) *rowArgs {
	return &rowArgs{records: make([]any, records*bulkPerRow), changes: make([]any, changes*localPerRow),
		township: township, boxedTownship: township}
}

// boxedKinds are the kinds as statement arguments, boxed once for every
// set; never modified after init.
var boxedKinds = func() map[Kind]any {
	m := map[Kind]any{}
	for k := range specs {
		m[k] = string(k)
	}
	return m
}()

// record is the next record row, full capacity so no append can spill
// into the next one.
func (a *rowArgs) record() []any {
	row := a.records[:bulkPerRow:bulkPerRow]
	a.records = a.records[bulkPerRow:]
	return row
}

// change is the next change row.
func (a *rowArgs) change() []any {
	row := a.changes[:localPerRow:localPerRow]
	a.changes = a.changes[localPerRow:]
	return row
}

// boxedKind is k as a statement argument, boxed once.
func boxedKind(k Kind) any {
	if v, ok := boxedKinds[k]; ok {
		return v
	}
	return string(k)
}

func (a *rowArgs) townshipOf(t string) any {
	if t == a.township {
		return a.boxedTownship
	}
	return t
}

// onlyChange is the index of the record's change when it was written
// once, or -1.
func (sg *Staged) onlyChange(id string) int {
	only := -1
	for i, ch := range sg.changes {
		if ch.EntityID == id {
			if only >= 0 {
				return -1
			}
			only = i
		}
	}
	return only
}

// naturalKeys are the keyed hashes of the ID numbers of the set's persons.
func (sg *Staged) naturalKeys() []string {
	var out []string
	for i, r := range sg.order {
		if r.Kind != KindPerson {
			continue
		}
		if nk, _ := sg.rows.records[i][recordKeyArg].(string); nk != "" {
			out = append(out, nk)
		}
	}
	return out
}

// recordKeyArg is the position of natural_key in a staged record row.
const recordKeyArg = 7

// recordRow seals a new record into its arguments of bulkInsertRows: those
// of recordUpsert but the township, shared by every row of a statement
// (staged records are created in the store's township), and the archived
// flag (new records are not archived). Given the record's only change, one
// that set all its fields, it also seals that change's row into change[0]
// from the same encoding. Each value is encoded in the buffer it is sealed
// in, as a merge does.
func recordRow(seal *sealer, args *rowArgs, r *Record, only *Change, change [][]any) ([]any, error) {
	names, buf, err := fieldsBuf(seal, r.Kind, r.Fields)
	if err != nil {
		return nil, err
	}
	kind, id := boxedKind(r.Kind), any(r.ID)
	person := id
	if r.PersonID != r.ID {
		person = r.PersonID
	}
	if only != nil {
		plain := buf[seal.a.NonceSize():]
		p := append(append(append(seal.sealBuf(len(plain)+6), `{"f":`...), plain...), '}')
		hlc, chPerson := only.HLC.String(), person
		if only.PersonID != r.PersonID {
			chPerson = only.PersonID
		}
		change[0] = localRow(args.change(), hlc, kind, id, args.townshipOf(only.Township), chPerson,
			seal.sealInPlace(p, changeADAt(hlc, only.Device)))
	}
	versions, err := versionsOf(names, r.Versions)
	if err != nil {
		return nil, err
	}
	nk := seal.recordKey(r)
	created := any(r.Created.UnixMilli())
	updated := created
	if !r.Updated.Equal(r.Created) {
		updated = r.Updated.UnixMilli()
	}
	row := args.record()
	row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7] = kind, id, person, created, updated,
		versions, seal.sealInPlace(buf, recordAD(r.ID)), nk
	return row, nil
}

// fieldsBuf is a sealBuf holding marshalStrings(fields), for sealInPlace,
// and the fields' names in order (nil when encoding/json encoded them).
func fieldsBuf(seal *sealer, kind Kind, fields map[string]string) ([]string, []byte, error) {
	names, size, ok := sortedFields(kind, fields)
	if fields != nil && ok {
		return names, appendStrings(seal.sealBuf(size+size/8), names, fields), nil
	}
	data, err := marshalStrings(fields)
	if err != nil {
		return nil, nil, err
	}
	return nil, append(seal.sealBuf(len(data)), data...), nil
}
