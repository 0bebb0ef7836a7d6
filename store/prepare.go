package store

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"rehabdesk/store/valid"
)

// DuplicateError is returned when a live person already has the ID number.
type DuplicateError struct {
	ExistingID string
	Number     string
}

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("a live person with ID number %s already exists", valid.MaskID(e.Number))
}

// Rule limits of the law the store enforces on every write.
const (
	reportInDays       = 15 // 戒毒条例 art. 16 (禁毒法 art. 33): report within 15 days
	detoxYears         = 3  // 社区戒毒 lasts three years (禁毒法 art. 33)
	rehabMaxMonths     = 36 // 社区康复 at most three years (禁毒法 art. 48)
	defaultTextMaxLen  = 100
	defaultLongTextMax = 4000
)

// refChecker checks that a link field may point at a record: a write
// transaction asks the database, a staged write (import_stage.go) its own
// records.
type refChecker interface {
	checkRef(f Field, id string) error
}

// prepare merges new values into the current ones, normalises every value
// given, derives computed fields and validates the whole record.
func (s *Store) prepare(refs refChecker, spec *Spec, cur *Record, in map[string]string) (map[string]string, error) {
	merged := make(map[string]string, len(cur.Fields)+len(in))
	for k, v := range cur.Fields {
		merged[k] = v
	}
	for name, raw := range in {
		f, ok := spec.Field(name)
		if !ok || f.Derived {
			if name == FieldArchived || name == FieldTownship {
				return nil, fmt.Errorf("field %s is set through its own operation", name)
			}
			if !ok {
				return nil, fmt.Errorf("%s has no field %q", spec.Kind, name)
			}
			continue
		}
		v, err := s.normalize(f, raw)
		if err != nil {
			return nil, err
		}
		if f.Type == TypeRef && v != "" {
			if err := refs.checkRef(f, v); err != nil {
				return nil, err
			}
		}
		merged[name] = v
	}
	if err := s.derive(spec.Kind, merged); err != nil {
		return nil, err
	}
	for _, f := range spec.Fields {
		if f.Required {
			if err := valid.Required(f.Name, merged[f.Name]); err != nil {
				return nil, err
			}
		}
		if merged[f.Name] == "" {
			delete(merged, f.Name)
		}
	}
	return merged, checkRecord(spec.Kind, merged)
}

// normalize turns typed or imported text into the stored form of its type.
func (s *Store) normalize(f Field, raw string) (string, error) {
	v := raw
	if f.Type != TypeLongText {
		v = valid.Normalize(raw)
	} else {
		v = strings.TrimSpace(raw)
	}
	if v == "" {
		return "", nil
	}
	switch f.Type {
	case TypeName:
		n, err := valid.ParseName(v)
		return withField(f.Name, n, err)
	case TypeIDNumber:
		id, err := valid.ParseID(v, s.Today())
		return withField(f.Name, id.Number, err)
	case TypePhone:
		p, err := valid.ParsePhone(v)
		return withField(f.Name, p, err)
	case TypeDate:
		d, err := valid.ParseDate(v)
		if err == nil && isFormatted(v, d) {
			return v, nil
		}
		return withField(f.Name, valid.FormatDate(d), err)
	case TypeEnum:
		return enumValue(f, v)
	case TypeEnumSet:
		return enumSet(f, v)
	case TypeBool:
		return boolValue(f, v)
	case TypeInt:
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return "", &valid.Error{Field: f.Name, Code: valid.CodeRange, Value: v}
		}
		return v, nil
	case TypeCode:
		if !isCode(v) {
			return "", &valid.Error{Field: f.Name, Code: valid.CodeEnum, Value: v}
		}
	case TypeCodeSet:
		return codeSet(f, v)
	}
	return v, lengthOK(f, v)
}

func lengthOK(f Field, v string) error {
	max := f.Max
	if max == 0 {
		max = defaultTextMaxLen
		if f.Type == TypeLongText {
			max = defaultLongTextMax
		}
	}
	return valid.MaxLen(f.Name, v, max)
}

// isFormatted reports whether v already is valid.FormatDate(d), as most
// dates of a ledger are: formatting it again would only copy it.
func isFormatted(v string, d time.Time) bool {
	y, m, day := d.Date()
	return !d.IsZero() && len(v) == 10 && v[4] == '-' && v[7] == '-' &&
		digitsOf(v[:4], y) && digitsOf(v[5:7], int(m)) && digitsOf(v[8:], day)
}

// digitsOf reports whether s is n in exactly len(s) decimal digits.
func digitsOf(s string, n int) bool {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] != byte('0'+n%10) {
			return false
		}
		n /= 10
	}
	return n == 0
}

// withField names the field on a validation error. It returns first when
// there is none: errors.As's target escapes, an allocation per field of an
// import otherwise.
func withField(field, v string, err error) (string, error) {
	if err == nil {
		return v, nil
	}
	var ve *valid.Error
	if errors.As(err, &ve) {
		ve.Field = field
	}
	return v, err
}

func enumValue(f Field, v string) (string, error) {
	if code, ok := EnumCode(f.Enum, v); ok {
		return code, nil
	}
	return "", &valid.Error{Field: f.Name, Code: valid.CodeEnum, Value: v}
}

// enumSet accepts the separators ledgers use: commas, 、, /, ；, spaces.
func enumSet(f Field, v string) (string, error) {
	parts := strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune(",，、/;；+ ", r) })
	seen := map[string]bool{}
	var codes []string
	for _, p := range parts {
		code, err := enumValue(f, p)
		if err != nil {
			return "", err
		}
		if !seen[code] {
			seen[code] = true
			codes = append(codes, code)
		}
	}
	return strings.Join(codes, ","), nil
}

func isCode(v string) bool { return strings.Trim(v, "0123456789") == "" && len(v) <= 12 }

// codeSet keeps each division code once, in the order given.
func codeSet(f Field, v string) (string, error) {
	var codes []string
	for _, c := range strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune(",，、/;； ", r) }) {
		if !isCode(c) {
			return "", &valid.Error{Field: f.Name, Code: valid.CodeEnum, Value: c}
		}
		if !slices.Contains(codes, c) {
			codes = append(codes, c)
		}
	}
	out := strings.Join(codes, ",")
	return out, lengthOK(f, out)
}

func boolValue(f Field, v string) (string, error) {
	switch strings.ToLower(v) {
	case "1", "true", "yes", "是", "有", "√", "y":
		return "1", nil
	case "0", "false", "no", "否", "无", "n", "×":
		return "", nil
	}
	return "", &valid.Error{Field: f.Name, Code: valid.CodeEnum, Value: v}
}

// derive computes the fields nobody types twice: sex and birth date from the
// ID number; a measure's report-in deadline, status and end.
func (s *Store) derive(kind Kind, r map[string]string) error {
	switch kind {
	case KindPerson:
		if n := r["id_number"]; n != "" {
			id, err := valid.ParseID(n, s.Today())
			if err != nil {
				return err
			}
			r["birth_date"] = valid.FormatDate(id.Birth)
			r["sex"] = map[bool]string{true: "male", false: "female"}[id.Male]
		}
	case KindMeasure:
		deriveMeasure(r)
	}
	return nil
}

func deriveMeasure(r map[string]string) {
	if rec := date(r["received_date"]); !rec.IsZero() {
		r["report_due"] = valid.FormatDate(rec.AddDate(0, 0, reportInDays))
	} else {
		delete(r, "report_due")
	}
	if r["start_date"] == "" && r["report_in_date"] != "" {
		r["start_date"] = r["report_in_date"]
	}
	if r["planned_end"] == "" && r["start_date"] != "" && r["type"] == "detox" {
		r["planned_end"] = valid.FormatDate(valid.AddMonths(date(r["start_date"]), detoxYears*12))
	}
	if r["status"] == "" {
		r["status"] = "pending"
		if r["start_date"] != "" {
			r["status"] = "active"
		}
	}
}

// date parses a stored date; stored dates are always valid or empty.
func date(s string) time.Time {
	if s == "" {
		return time.Time{} // time.Parse would allocate an error, for most fields of most records
	}
	t, _ := time.Parse("2006-01-02", s)
	return t
}

// checkRecord validates the relations between fields of one record.
func checkRecord(kind Kind, r map[string]string) error {
	order := func(field, earlier, later string) error {
		return valid.DateOrder(field, date(r[earlier]), date(r[later]))
	}
	switch kind {
	case KindMeasure:
		for _, p := range [][3]string{
			{"received_date", "decision_date", "received_date"},
			{"report_in_date", "decision_date", "report_in_date"},
			{"planned_end", "start_date", "planned_end"},
			{"end_date", "start_date", "end_date"},
		} {
			if err := order(p[0], p[1], p[2]); err != nil {
				return err
			}
		}
		if r["type"] == "rehab" && r["start_date"] != "" && r["planned_end"] != "" &&
			date(r["planned_end"]).After(valid.AddMonths(date(r["start_date"]), rehabMaxMonths)) {
			return &valid.Error{Field: "planned_end", Code: valid.CodeRange, Value: r["planned_end"]}
		}
	case KindLeave:
		if err := order("expected_return", "depart_date", "expected_return"); err != nil {
			return err
		}
		return order("actual_return", "depart_date", "actual_return")
	case KindAssignment:
		return order("end_date", "start_date", "end_date")
	}
	return nil
}

// checkRef refuses a link to a record that does not exist or is another kind.
func (tx *Tx) checkRef(f Field, id string) error {
	// A record this transaction saved exists with its kind (a record never
	// changes kind): an import links each new measure to the person it has
	// just written, and needs no query for it.
	if r := tx.written[id]; r != nil {
		if r.Kind != f.Ref {
			return &valid.Error{Field: f.Name, Code: valid.CodeEnum, Value: id}
		}
		return nil
	}
	// Only the kind is needed: reading it alone spares decrypting the
	// referenced record, once per measure of a bulk import.
	var kind string
	err := tx.q().QueryRowContext(tx.ctx, "SELECT kind FROM records WHERE id = ?", id).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && Kind(kind) != f.Ref) {
		return &valid.Error{Field: f.Name, Code: valid.CodeEnum, Value: id}
	}
	return err
}

// checkUnique refuses a second live person with the same ID number.
func (tx *Tx) checkUnique(spec *Spec, cur *Record, merged map[string]string) error {
	if spec.Kind != KindPerson || merged["id_number"] == "" {
		return nil
	}
	// A live person keeping their ID number makes no new duplicate: after two
	// devices registered one person offline, both records stay editable
	// until the officer combines them (Store.DuplicatePairs, CombinePersons).
	if !cur.Archived && len(cur.Versions) > 0 && cur.Fields["id_number"] == merged["id_number"] {
		return nil
	}
	other, err := tx.personByIDNumber(merged["id_number"])
	if err != nil || other == "" || other == cur.ID {
		return err
	}
	if err := tx.refuseAway(&Record{Kind: KindPerson, ID: other}, nil); err != nil {
		return err // the file is hidden, kept until its edits are pushed: say where it went
	}
	return &DuplicateError{ExistingID: other, Number: merged["id_number"]}
}

// personByIDNumber finds the live person with an ID number ("" if none)
// among every person, whatever the session, for uniqueness.
func (tx *Tx) personByIDNumber(number string) (string, error) {
	var id string
	nk := tx.seal.naturalKey(KindPerson, number)
	// Record rows pending insertion (saveLocal) that only add new records
	// with other keys cannot change the answer: the lookup then runs
	// without inserting them first, so that a bulk import keeps batching.
	if tx.mustFlushFor(nk) {
		if err := tx.flushPending(); err != nil {
			return "", err
		}
	}
	// The query must use the partial index records_natural: "natural_key <> ''"
	// proves the bound key fits it, and the unary + keeps the planner (which
	// has no statistics) from preferring records_kind, which walks every
	// person and made bulk imports quadratic.
	st, err := tx.stmt("SELECT id FROM records WHERE natural_key = ? AND natural_key <> '' AND +kind = 'person' AND +archived = 0 LIMIT 1")
	if err != nil {
		return "", err
	}
	err = st.QueryRowContext(tx.ctx, nk).Scan(&id)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	return id, nil
}

// mayWrite applies account roles: volunteers log visits of their own
// persons and edit nothing else; the county reads only.
func (s *Store) mayWrite(kind Kind, cur *Record, fields map[string]string) bool {
	switch s.Session().Role {
	case "officer":
		return true
	case "volunteer":
		if kind != KindVisit {
			return false
		}
		for _, p := range []string{cur.Fields["person"], fields["person"]} {
			if p != "" && !s.inScope(p) {
				return false
			}
		}
		return true
	}
	return false
}
