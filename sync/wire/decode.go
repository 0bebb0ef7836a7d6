package wire

import (
	"errors"
	"fmt"

	"rehabdesk/store"
)

// decoder walks a batch's columns in step.
type decoder struct {
	b       *Batch
	wall    int64
	fieldAt int // next entry of Field / NB
	baseAt  int // next entry of BW / BC / BD
	perAt   int // next entry of PerID
	colOf   map[int]int
	colPos  []int
	at      int             // index of the change being decoded
	prev    []*store.Change // changes decoded so far
	impl    [][]int         // for each implication, the changes it applies to (indexes, not yet used)
}

func (d *decoder) checkShape() error {
	b, n := d.b, len(d.b.Wall)
	if b.T != nil || b.S != nil || b.R != "" {
		if b.Ent != nil {
			return fmt.Errorf("%w: entity ids twice", ErrMalformed)
		}
		ids, err := b.unpack(n)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		b.Ent, b.packedIDs = ids, packedIDs{}
	}
	for _, l := range []int{len(b.Ctr), len(b.Dev), len(b.Kind), len(b.Ent), len(b.Town), len(b.Per), len(b.User), len(b.NF)} {
		if l != n {
			return fmt.Errorf("%w: column lengths differ", ErrMalformed)
		}
	}
	if (b.NX != nil && len(b.NX) != n) || len(b.NB) != len(b.Field) || len(b.BC) != len(b.BW) || len(b.BD) != len(b.BW) {
		return fmt.Errorf("%w: field or base columns differ", ErrMalformed)
	}
	if err := d.implied(n); err != nil {
		return err
	}
	d.colOf = map[int]int{}
	for i, c := range b.Cols {
		if _, dup := d.colOf[c.Name]; dup || !d.okStr(c.Name) || (c.Refs != nil && len(c.Refs) != len(c.Vals)) {
			return fmt.Errorf("%w: bad value column %d", ErrMalformed, i)
		}
		d.colOf[c.Name] = i
	}
	return nil
}

// implied turns the gaps of Batch.Impl into change indexes, refusing any
// list that does not move forward within the batch.
func (d *decoder) implied(n int) error {
	if len(d.b.Impl) > len(implications) {
		return fmt.Errorf("%w: unknown implication", ErrMalformed)
	}
	for _, gaps := range d.b.Impl {
		var ix []int
		at := -1
		for _, gap := range gaps {
			if gap <= 0 || gap >= n-at {
				return fmt.Errorf("%w: bad implied list", ErrMalformed)
			}
			at += gap
			ix = append(ix, at)
		}
		d.impl = append(d.impl, ix)
	}
	return nil
}

// restoreImplied puts back the values implied for change i.
func (d *decoder) restoreImplied(i int, c *store.Change) error {
	for r, ix := range d.impl {
		if len(ix) == 0 || ix[0] != i {
			continue
		}
		d.impl[r] = ix[1:]
		if !implications[r].restore(c.Fields, c.Bases) {
			return fmt.Errorf("cannot imply %v from %s", implications[r].fields, implications[r].from)
		}
	}
	return nil
}

func (d *decoder) okStr(i int) bool { return i >= 0 && i < len(d.b.Strs) }

// strs resolves string indexes, failing on any out of range.
func (d *decoder) strs(ix ...int) ([]string, error) {
	out := make([]string, len(ix))
	for k, i := range ix {
		if !d.okStr(i) {
			return nil, errors.New("string index out of range")
		}
		out[k] = d.b.Strs[i]
	}
	return out, nil
}

func (d *decoder) change(i int, prev []*store.Change) (*store.Change, error) {
	b := d.b
	d.at, d.prev = i, prev
	d.wall += b.Wall[i]
	if d.wall < minWall || d.wall > maxWall || b.Ctr[i] > maxCounter {
		return nil, errors.New("clock reading out of range")
	}
	s, err := d.strs(b.Dev[i], b.Kind[i], b.Town[i], b.User[i])
	if err != nil {
		return nil, err
	}
	c := &store.Change{HLC: store.HLC{Wall: d.wall, Counter: b.Ctr[i]}, Device: s[0], Kind: store.Kind(s[1]),
		EntityID: b.Ent[i], Township: s[2], User: s[3]}
	if c.PersonID, err = d.person(i, c.EntityID, prev); err != nil {
		return nil, err
	}
	return c, d.fields(i, c)
}

func (d *decoder) person(i int, entity string, prev []*store.Change) (string, error) {
	switch p := d.b.Per[i]; {
	case p == perNone:
		return "", nil
	case p == perSelf:
		return entity, nil
	case p == perIDNext:
		if d.perAt >= len(d.b.PerID) {
			return "", errors.New("person id missing")
		}
		d.perAt++
		return d.b.PerID[d.perAt-1], nil
	case p > 0 && p <= i:
		return prev[i-p].EntityID, nil
	}
	return "", errors.New("bad person reference")
}

func (d *decoder) fields(i int, c *store.Change) error {
	b := d.b
	n, nx := b.NF[i], 0
	if b.NX != nil {
		nx = b.NX[i]
	}
	if n < 0 || nx < 0 || d.fieldAt+n+nx > len(b.Field) {
		return errors.New("field count out of range")
	}
	c.Fields = make(map[string]string, n)
	c.Bases = map[string][]string{}
	for k := 0; k < n+nx; k++ {
		if err := d.field(c, k < n); err != nil {
			return err
		}
	}
	return nil
}

// field reads one key: its value when valued, then its bases.
func (d *decoder) field(c *store.Change, valued bool) error {
	b := d.b
	s := b.Field[d.fieldAt]
	nb := b.NB[d.fieldAt]
	d.fieldAt++
	if !d.okStr(s) {
		return errors.New("string index out of range")
	}
	name := b.Strs[s]
	if _, dup := c.Bases[name]; dup {
		return errors.New("key repeated")
	}
	if _, dup := c.Fields[name]; dup {
		return errors.New("key repeated")
	}
	if valued {
		ci, ok := d.colOf[s]
		if !ok || d.colPos[ci] >= len(b.Cols[ci].Vals) {
			return errors.New("value missing")
		}
		v, err := d.value(ci)
		if err != nil {
			return err
		}
		c.Fields[name] = v
	}
	if nb < 0 || d.baseAt+nb > len(b.BW) {
		return errors.New("base count out of range")
	}
	if !valued && nb == 0 {
		return errors.New("key without value or base")
	}
	for k := 0; k < nb; k++ {
		v, err := d.base(c.HLC.Wall)
		if err != nil {
			return err
		}
		c.Bases[name] = append(c.Bases[name], v)
	}
	return nil
}

// value takes the next value of a column, resolving a reference.
func (d *decoder) value(ci int) (string, error) {
	col, pos := &d.b.Cols[ci], d.colPos[ci]
	d.colPos[ci]++
	if col.Refs == nil || col.Refs[pos] == 0 {
		return col.Vals[pos], nil
	}
	if r := col.Refs[pos]; r > 0 && r <= d.at && col.Vals[pos] == "" {
		return d.prev[d.at-r].EntityID, nil
	}
	return "", errors.New("bad value reference")
}

func (d *decoder) base(wall int64) (string, error) {
	b, k := d.b, d.baseAt
	d.baseAt++
	if lit := -1 - b.BD[k]; b.BD[k] < 0 {
		if !d.okStr(lit) {
			return "", errors.New("bad base literal")
		}
		return b.Strs[lit], nil
	}
	w := wall - b.BW[k]
	if w < minWall || w > maxWall || b.BC[k] > maxCounter || !d.okStr(b.BD[k]) || b.Strs[b.BD[k]] == "" {
		return "", errors.New("bad base version")
	}
	return store.Version{HLC: store.HLC{Wall: w, Counter: b.BC[k]}, Device: b.Strs[b.BD[k]]}.String(), nil
}

// checkConsumed refuses batches with values or bases no change used: they
// would mean the encoder and decoder disagree about the layout.
func (d *decoder) checkConsumed() error {
	if d.fieldAt != len(d.b.Field) || d.baseAt != len(d.b.BW) || d.perAt != len(d.b.PerID) {
		return fmt.Errorf("%w: unused entries", ErrMalformed)
	}
	for i, c := range d.b.Cols {
		if d.colPos[i] != len(c.Vals) {
			return fmt.Errorf("%w: unused values", ErrMalformed)
		}
	}
	return nil
}
