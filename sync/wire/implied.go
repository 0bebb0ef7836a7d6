package wire

import "time"

// Some values are implied by others and need not travel. The encoder
// leaves a rule's fields out of a change only when re-deriving them gives
// exactly the values sent (and the same bases as their source), and lists
// that change in the rule's entry of Batch.Impl; the decoder puts them
// back. The derivations are written here, not borrowed from the store: a
// change to them changes the protocol and takes a new Version.
type implication struct {
	from   string
	fields []string
	derive func(from string) ([]string, bool) // values in the order of fields
}

// implications, in the order of Batch.Impl's lists. Never reorder them.
var implications = []implication{
	// Sex and birth date are written into the 18-digit resident ID number
	// (GB 11643: digits 7–14 the birth date, digit 17 odd for men): 6 % of
	// an initial pull.
	{from: fieldID, fields: []string{fieldBirth, fieldSex}, derive: impliedByID},
	// A measure's planned end is three years after its start: the store's
	// default for 社区戒毒 and the usual entry for 社区康复 (at most 36
	// months) — every measure of a generated ledger, 5 % of its pull.
	{from: fieldStart, fields: []string{fieldEnd}, derive: threeYearsOn},
}

const (
	fieldID    = "id_number"
	fieldBirth = "birth_date"
	fieldSex   = "sex"
	fieldStart = "start_date"
	fieldEnd   = "planned_end"
)

// impliedByID derives birth date and sex from an ID number; false when the
// number has not the expected shape.
func impliedByID(id string) ([]string, bool) {
	if len(id) != 18 {
		return nil, false
	}
	for i := 0; i < 17; i++ {
		if id[i] < '0' || id[i] > '9' {
			return nil, false
		}
	}
	sex := "female"
	if (id[16]-'0')%2 == 1 {
		sex = "male"
	}
	return []string{id[6:10] + "-" + id[10:12] + "-" + id[12:14], sex}, true
}

// threeYearsOn is the date 36 months after an ISO date, a 29 February
// ending on the 28th; false unless start is a canonical date.
func threeYearsOn(start string) ([]string, bool) {
	t, err := time.Parse(time.DateOnly, start)
	if err != nil || t.Format(time.DateOnly) != start {
		return nil, false
	}
	y, m, d := t.Date()
	end := time.Date(y+3, m, d, 0, 0, 0, 0, time.UTC)
	if end.Month() != m { // 29 February into a common year
		end = time.Date(y+3, m+1, 0, 0, 0, 0, 0, time.UTC)
	}
	return []string{end.Format(time.DateOnly)}, true
}

// drop removes the rule's fields from a change when they are exactly
// re-derivable and reports whether it did; it changes neither map.
func (r implication) drop(fields map[string]string, bases map[string][]string) (map[string]string, map[string][]string, bool) {
	vals, ok := r.derive(fields[r.from])
	if !ok {
		return fields, bases, false
	}
	for i, f := range r.fields {
		if fields[f] != vals[i] || !sameStrings(bases[f], bases[r.from]) {
			return fields, bases, false
		}
	}
	return without(fields, r.fields), without(bases, r.fields), true
}

// restore puts the rule's fields (and their source's bases) back.
func (r implication) restore(fields map[string]string, bases map[string][]string) bool {
	vals, ok := r.derive(fields[r.from])
	if !ok {
		return false
	}
	for i, f := range r.fields {
		if _, dup := fields[f]; dup {
			return false
		}
		if _, dup := bases[f]; dup {
			return false
		}
		fields[f] = vals[i]
		if b := bases[r.from]; len(b) > 0 {
			bases[f] = append([]string(nil), b...)
		}
	}
	return true
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// without copies m less some keys.
func without[V any](m map[string]V, keys []string) map[string]V {
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	for _, k := range keys {
		delete(out, k)
	}
	return out
}
