package store

import (
	"errors"
	"fmt"

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
	order   []*Record          // records in the order they were staged
	byID    map[string]*Record // the same, by id
	changes []*Change          // change-log entries in write order
	rows    *stagedRows        // sealed, see Seal
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
	return &Staged{s: s, seal: seal, user: sess.User, byID: map[string]*Record{}}, nil
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
	changed := merged
	if len(cur.Versions) > 0 {
		changed = withDerived(kind, diff(cur.Fields, merged), merged)
	}
	if len(changed) == 0 {
		return cur.ID, nil
	}
	sg.rows = nil
	ch := &Change{HLC: sg.s.clock.Now(), Device: sg.s.device, Kind: kind, EntityID: cur.ID,
		Township: cur.Township, User: sg.user, Fields: changed, Bases: map[string][]string{}}
	for f := range changed {
		if b := cur.Versions[f]; b != "" {
			ch.Bases[f] = []string{b}
		}
	}
	ApplyFields(cur, ch.Fields, ch.Version())
	ch.PersonID = cur.PersonID
	if sg.byID[cur.ID] == nil {
		sg.byID[cur.ID] = cur
		sg.order = append(sg.order, cur)
	}
	sg.changes = append(sg.changes, ch)
	return cur.ID, nil
}

// current is a blank record to create, or the staged record to update.
// A new record's maps are made for the fields given and a few derived
// ones: grown from empty they were rehashed on the way.
func (sg *Staged) current(kind Kind, id string, fields int) (*Record, error) {
	if id == "" {
		return &Record{Kind: kind, ID: newRecordID(), Township: sg.s.township,
			Fields: make(map[string]string, fields+4), Versions: make(map[string]string, fields+4)}, nil
	}
	r := sg.byID[id]
	if r == nil {
		return nil, ErrNeedsDatabase
	}
	if r.Kind != kind {
		return nil, fmt.Errorf("record %s is a %s, not a %s", id, r.Kind, kind)
	}
	return r, nil
}

// checkRef accepts links to records of this set only.
func (sg *Staged) checkRef(f Field, id string) error {
	r := sg.byID[id]
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
	writes := make(map[string]int, len(sg.order))
	for _, ch := range sg.changes {
		writes[ch.EntityID]++
	}
	data := make(map[string][]byte, len(sg.order)) // of records written once
	for i, r := range sg.order {
		args, plain, err := recordRow(sg.seal, r)
		if err != nil {
			return err
		}
		rows.records[i] = args
		if writes[r.ID] == 1 {
			data[r.ID] = plain
		}
	}
	for i, ch := range sg.changes {
		var payload []byte
		if plain := data[ch.EntityID]; plain != nil && len(ch.Bases) == 0 && len(ch.Fields) == len(sg.byID[ch.EntityID].Fields) {
			// The only write of a new record set every field it has: its
			// payload is {"f": the record's fields}, already encoded.
			payload = append(append(append(make([]byte, 0, len(plain)+6), `{"f":`...), plain...), '}')
		}
		var err error
		if rows.changes[i], err = localChangeRow(sg.seal, ch, payload); err != nil {
			return err
		}
	}
	sg.rows = rows
	return nil
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
// flag (new records are not archived). It also returns the fields' JSON.
func recordRow(seal *sealer, r *Record) ([]any, []byte, error) {
	data, err := marshalStrings(r.Fields)
	if err != nil {
		return nil, nil, err
	}
	versions, err := marshalStrings(r.Versions)
	if err != nil {
		return nil, nil, err
	}
	nk := ""
	if r.Kind == KindPerson {
		nk = seal.naturalKey(KindPerson, r.Fields["id_number"])
	}
	return []any{string(r.Kind), r.ID, r.PersonID, r.Created.UnixMilli(), r.Updated.UnixMilli(),
		string(versions), seal.seal(data, recordAD(r.ID)), nk}, data, nil
}
