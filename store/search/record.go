package search

import "strings"

// rec is an entry with the strings precomputed for literal matching and
// sorting.
type rec struct {
	Entry
	hay     string // folded name without ignored runes
	nameKey string // primary syllables separated by keySep
}

// Coded fields: each has a dictionary, so that filters and sorts compare
// small integers instead of strings.
const (
	fieldVillage = iota
	fieldStatus
	fieldMeasure
	fieldRisk
	fieldEnd
	numFields
)

// field returns the value of coded field f.
func (e *Entry) field(f int) string {
	switch f {
	case fieldVillage:
		return e.Village
	case fieldStatus:
		return e.Status
	case fieldMeasure:
		return e.MeasureType
	case fieldRisk:
		return e.Risk
	}
	return e.EndDate
}

// hot is the part of an entry read by every search, kept small and apart
// from rec so that a scan touches little memory.
type hot struct {
	units             string            // encoded match units, see analyze.go
	idKey             string            // lower-case ID number
	runes             uint64            // hashed non-letter runes of the name
	letters, initials uint32            // letters and first letters of the alternatives
	codes             [numFields]uint32 // dictionary codes, 0 for ""
	alert, live       bool
}

// newRec precomputes the record of e, reusing the buffers of a; it
// allocates once for all the strings derived from the name.
func newRec(e Entry, a *analyzer) (rec, hot) {
	a.analyze(e.Name)
	var b strings.Builder
	b.Grow(len(a.hay) + len(a.units) + len(a.key))
	b.Write(a.hay)
	b.Write(a.units)
	b.Write(a.key)
	s := b.String()
	i, j := len(a.hay), len(a.hay)+len(a.units)
	r := rec{Entry: e, hay: s[:i], nameKey: s[j:]}
	h := hot{units: s[i:j], idKey: strings.ToLower(e.IDNumber), runes: a.runes,
		letters: a.letters, initials: a.initials, alert: e.HasAlert}
	return r, h
}

// dict numbers the distinct values of a coded field. Code 0 is "".
type dict struct {
	codes  map[string]uint32
	values []string // values[c-1] has code c
}

// code returns the code of v, assigning a new one if needed.
func (d *dict) code(v string) uint32 {
	if v == "" {
		return 0
	}
	c, ok := d.codes[v]
	if !ok {
		if d.codes == nil {
			d.codes = make(map[string]uint32)
		}
		d.values = append(d.values, v)
		c = uint32(len(d.values))
		d.codes[v] = c
	}
	return c
}

// noCode never equals the code of an entry.
const noCode = ^uint32(0)

// lookup returns the code of v for a filter: 0 (any) for "", noCode for a
// value no entry has.
func (d *dict) lookup(v string) uint32 {
	if v == "" {
		return 0
	}
	if c, ok := d.codes[v]; ok {
		return c
	}
	return noCode
}
