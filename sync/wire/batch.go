package wire

import (
	"fmt"
	"maps"
	"slices"

	"rehabdesk/store"
)

// Batch is the wire form of a list of changes, in columns. All slices that
// describe one change have one entry per change; Field and NB have one entry
// per field a change sets; BW, BC and BD one entry per base version.
type Batch struct {
	Strs      []string `json:"s,omitempty"` // string table: devices, kinds, townships, users, field names
	Wall      []int64  `json:"w,omitempty"` // HLC wall ms, as a delta from the previous change's
	Ctr       []uint32 `json:"c,omitempty"` // HLC counter
	Dev       []int    `json:"d,omitempty"` // device (string index)
	Kind      []int    `json:"k,omitempty"` // kind (string index)
	Ent       []string `json:"e,omitempty"` // entity id
	packedIDs          // the entity ids packed (see ids.go), instead of Ent
	Town      []int    `json:"t,omitempty"`  // township (string index)
	Per       []int    `json:"p,omitempty"`  // person: see the per* constants
	PerID     []string `json:"pi,omitempty"` // person ids that are no earlier entity
	User      []int    `json:"u,omitempty"`  // user name (string index)
	NF        []int    `json:"n,omitempty"`  // number of fields each change sets
	NX        []int    `json:"x,omitempty"`  // number of base-only keys of each change (nil: none)
	Field     []int    `json:"f,omitempty"`  // keys (string index): each change's NF fields, then its NX base-only keys
	Cols      []Column `json:"v,omitempty"`  // values, grouped by field name
	NB        []int    `json:"nb,omitempty"` // number of base versions of each field
	BW        []int64  `json:"bw,omitempty"` // base wall ms, as change wall minus base wall
	BC        []uint32 `json:"bc,omitempty"` // base counter
	BD        []int    `json:"bd,omitempty"` // base device (string index), or -1-k: the base is the literal string k
	// Impl lists, for each rule of implications (implied.go), the changes
	// whose values it implies, as gaps: each entry is the distance from the
	// previous such change, the first from -1 (every other change of an
	// import: 2, 2, 2... costs nothing once gzipped; indexes cost 1 byte each).
	Impl     [][]int `json:"im,omitempty"`
	lastImpl []int
	col      map[int]int
	strIx    map[string]int
	ents     map[string]int // entity id -> index of its latest change so far
	at       int            // index of the change being encoded
}

// Column holds, in order, every value a batch gives one field.
type Column struct {
	Name int      `json:"n"` // field name (string index)
	Vals []string `json:"v"`
	// Refs, when present, has one entry per value: d > 0 means the value is
	// the entity id of the change d places earlier (a visit's "person"
	// field names the person just sent) and Vals holds "" there.
	Refs []int `json:"r,omitempty"`
}

// Person references in Batch.Per.
const (
	perNone   = -1 // the change belongs to no person (staff, settings...)
	perSelf   = -2 // the record is the person
	perIDNext = -3 // the next entry of PerID
	// d > 0: the entity of the change d places earlier
)

// Len is the number of changes in the batch.
func (b *Batch) Len() int {
	if b == nil {
		return 0
	}
	return len(b.Wall)
}

// EncodeChanges builds a batch from changes, keeping their order.
func EncodeChanges(changes []*store.Change) *Batch {
	b := &Batch{col: map[int]int{}, strIx: map[string]int{}, ents: map[string]int{}}
	var prevWall int64
	for i, c := range changes {
		b.at = i
		b.Wall = append(b.Wall, c.HLC.Wall-prevWall)
		prevWall = c.HLC.Wall
		b.Ctr = append(b.Ctr, c.HLC.Counter)
		b.Dev = append(b.Dev, b.str(c.Device))
		b.Kind = append(b.Kind, b.str(string(c.Kind)))
		b.Ent = append(b.Ent, c.EntityID)
		b.Town = append(b.Town, b.str(c.Township))
		b.User = append(b.User, b.str(c.User))
		b.Per = append(b.Per, b.person(c))
		fields, bases := b.dropImplied(i, c)
		b.fields(c, fields, bases)
		b.ents[c.EntityID] = i
	}
	if p, ok := packIDs(b.Ent); ok && len(b.Ent) > 0 {
		b.Ent, b.packedIDs = nil, p
	}
	for i := range b.Cols {
		if allZero(b.Cols[i].Refs) {
			b.Cols[i].Refs = nil
		}
	}
	if allZero(b.NX) {
		b.NX = nil
	}
	return b
}

func allZero(xs []int) bool {
	for _, x := range xs {
		if x != 0 {
			return false
		}
	}
	return true
}

// dropImplied leaves out the values that implications derive from others,
// noting change i in each rule's list.
func (b *Batch) dropImplied(i int, c *store.Change) (map[string]string, map[string][]string) {
	fields, bases := c.Fields, c.Bases
	for r, rule := range implications {
		var ok bool
		if fields, bases, ok = rule.drop(fields, bases); !ok {
			continue
		}
		for len(b.Impl) <= r {
			b.Impl, b.lastImpl = append(b.Impl, nil), append(b.lastImpl, -1)
		}
		b.Impl[r], b.lastImpl[r] = append(b.Impl[r], i-b.lastImpl[r]), i
	}
	return fields, bases
}

// str interns a string in the string table.
func (b *Batch) str(s string) int {
	if i, ok := b.strIx[s]; ok {
		return i
	}
	b.strIx[s] = len(b.Strs)
	b.Strs = append(b.Strs, s)
	return len(b.Strs) - 1
}

// person encodes the person a change belongs to, as the distance back to
// that person's latest change when there is one in the batch.
func (b *Batch) person(c *store.Change) int {
	switch {
	case c.PersonID == "":
		return perNone
	case c.PersonID == c.EntityID:
		return perSelf
	}
	if k, ok := b.ents[c.PersonID]; ok {
		return b.at - k
	}
	b.PerID = append(b.PerID, c.PersonID)
	return perIDNext
}

// fields appends a change's fields, in name order so encoding is
// deterministic, with their values and bases, then the keys that have bases
// but no value (store.BaseSeen on archive changes).
func (b *Batch) fields(c *store.Change, fields map[string]string, bases map[string][]string) {
	names := slices.Sorted(maps.Keys(fields))
	b.NF = append(b.NF, len(names))
	var extra []string
	for _, k := range slices.Sorted(maps.Keys(bases)) {
		if _, ok := fields[k]; !ok {
			extra = append(extra, k)
		}
	}
	b.NX = append(b.NX, len(extra))
	for _, f := range names {
		s := b.str(f)
		b.Field = append(b.Field, s)
		ci, ok := b.col[s]
		if !ok {
			ci = len(b.Cols)
			b.col[s] = ci
			b.Cols = append(b.Cols, Column{Name: s})
		}
		b.value(ci, fields[f])
		b.bases(c, bases[f])
	}
	for _, k := range extra {
		b.Field = append(b.Field, b.str(k))
		b.bases(c, bases[k])
	}
}

// value appends a field value, as a reference when it is the id of a
// record sent earlier in the batch.
func (b *Batch) value(ci int, v string) {
	col := &b.Cols[ci]
	if k, ok := b.ents[v]; ok && v != "" {
		col.Vals, col.Refs = append(col.Vals, ""), append(col.Refs, b.at-k)
		return
	}
	col.Vals, col.Refs = append(col.Vals, v), append(col.Refs, 0)
}

// bases appends a key's bases: versions compactly, anything else (the
// merge engine's own notes) as a literal string, so nothing is lost.
func (b *Batch) bases(c *store.Change, bases []string) {
	for _, s := range bases {
		v, err := store.ParseVersion(s)
		if err != nil || v.HLC.IsZero() || v.String() != s {
			b.BW, b.BC = append(b.BW, 0), append(b.BC, 0)
			b.BD = append(b.BD, -1-b.str(s))
			continue
		}
		b.BW = append(b.BW, c.HLC.Wall-v.HLC.Wall)
		b.BC = append(b.BC, v.HLC.Counter)
		b.BD = append(b.BD, b.str(v.Device))
	}
	b.NB = append(b.NB, len(bases))
}

// Limits on decoded values: a clock reading must fall between 2000 and 2200,
// which rejects garbage without judging a device's wrong clock.
const (
	minWall    = 946684800000  // 2000-01-01
	maxWall    = 7258118400000 // 2200-01-01
	maxCounter = 999999
)

// Changes decodes the batch, checking every index and length, so that a
// damaged or hostile batch is refused whole rather than half applied.
func (b *Batch) Changes() ([]*store.Change, error) {
	if b == nil {
		return nil, nil
	}
	d := &decoder{b: b, colPos: make([]int, len(b.Cols))}
	if err := d.checkShape(); err != nil {
		return nil, err
	}
	out := make([]*store.Change, 0, len(b.Wall))
	for i := range b.Wall {
		c, err := d.change(i, out)
		if err == nil {
			err = d.restoreImplied(i, c)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: change %d: %v", ErrMalformed, i, err)
		}
		out = append(out, c)
	}
	return out, d.checkConsumed()
}
