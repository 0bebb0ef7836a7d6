package store

import (
	"strconv"
	"strings"
	"time"

	"rehabdesk/store/valid"
)

// CheckValue reports whether v could be the stored value of a field of
// kind, by the field table (specs) and the rules a local write applies
// (prepare): for values made elsewhere, which the county server checks on
// every pushed change. "" (a cleared field) always passes: whether a
// record has its required fields is for the device that keeps it.
//
// Codes, dates, flags, numbers and division codes must be in their stored
// form exactly; names, ID numbers and phone numbers must parse
// (and, as they came, keep within their field's length); text only
// keeps within its length, since older versions trimmed and folded it
// differently and their edits must not be lost. A link (TypeRef) is only
// bounded here: whether it names a record is for the holder of the records
// (the server's links.go). today bounds the birth date of an ID number.
func CheckValue(kind Kind, name, v string, today time.Time) error {
	spec := SpecOf(kind)
	if spec == nil {
		return &valid.Error{Field: name, Code: valid.CodeEnum, Value: string(kind)}
	}
	f, ok := spec.Field(name)
	if !ok || v == "" {
		return nil
	}
	if err := parsesAs(f, v, today); err != nil {
		_, err = withField(f.Name, "", err)
		return err
	}
	return nil
}

// parsesAs checks v against the rules of its field's type.
func parsesAs(f Field, v string, today time.Time) error {
	bad := &valid.Error{Field: f.Name, Code: valid.CodeEnum, Value: v}
	switch f.Type {
	// A name, ID number or phone parses once its spaces are dropped, so
	// the value as it came is bounded too: padded with thousands of
	// spaces, it would be stored, listed and printed so on every device.
	case TypeName:
		if _, err := valid.ParseName(v); err != nil {
			return err
		}
	case TypeIDNumber:
		if _, err := valid.ParseID(v, today); err != nil {
			return err
		}
	case TypePhone:
		if _, err := valid.ParsePhone(v); err != nil {
			return err
		}
	case TypeDate:
		if d, err := valid.ParseDate(v); err != nil || !isFormatted(v, d) {
			return &valid.Error{Field: f.Name, Code: valid.CodeDate, Value: v}
		}
	case TypeEnum, TypeEnumSet:
		return storedCodes(f, v)
	case TypeBool:
		if v != "1" {
			return bad
		}
	case TypeInt:
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return &valid.Error{Field: f.Name, Code: valid.CodeRange, Value: v}
		}
	case TypeCode:
		if !isCode(v) {
			return bad
		}
	case TypeCodeSet:
		if _, err := codeSet(f, v); err != nil {
			return err
		}
	}
	return lengthOK(f, v)
}

// storedCodes checks an enumeration's stored form: one code, or for a set
// codes joined by commas — never the Chinese labels a local write maps.
func storedCodes(f Field, v string) error {
	codes := []string{v}
	if f.Type == TypeEnumSet {
		codes = strings.Split(v, ",")
	}
	for _, c := range codes {
		if code, ok := EnumCode(f.Enum, c); !ok || code != c {
			return &valid.Error{Field: f.Name, Code: valid.CodeEnum, Value: c}
		}
	}
	return nil
}
