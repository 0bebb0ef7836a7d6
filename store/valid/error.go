package valid

import "fmt"

// Codes identify what is wrong with a value. They are stable strings the
// GUI uses as translation keys, so never change an existing one.
const (
	CodeRequired     = "required"
	CodeIDLength     = "id.length"
	CodeIDChars      = "id.chars"
	CodeIDRegion     = "id.region"
	CodeIDBirth      = "id.birth"
	CodeIDChecksum   = "id.checksum"
	CodeIDScientific = "id.scientific" // Excel stored the ID as a number and digits were lost
	CodePhone        = "phone.invalid"
	CodeDate         = "date.invalid"
	CodeDateOrder    = "date.order"
	CodeDateFuture   = "date.future"
	CodeEnum         = "enum.invalid"
	CodeName         = "name.invalid"
	CodeTooLong      = "text.too_long"
	CodeRange        = "range"
)

// Default field names used when a parser reports an error; callers that
// validate a differently named column may overwrite Error.Field.
const (
	FieldID    = "id_number"
	FieldPhone = "phone"
	FieldDate  = "date"
	FieldName  = "name"
)

// messages holds the English text for each code, used by Error().
var messages = map[string]string{
	CodeRequired:     "is required",
	CodeIDLength:     "must have 18 characters (or 15 for a legacy ID)",
	CodeIDChars:      "may contain only digits and a final X",
	CodeIDRegion:     "does not start with a valid province code",
	CodeIDBirth:      "birth date is impossible, before 1900 or in the future",
	CodeIDChecksum:   "check digit does not match",
	CodeIDScientific: "the ledger stored the ID as a number and digits were lost; re-enter it as text",
	CodePhone:        "is not a valid mobile or landline number",
	CodeDate:         "is not a valid date",
	CodeDateOrder:    "is earlier than the date it must follow",
	CodeDateFuture:   "is after today",
	CodeEnum:         "is not one of the allowed values",
	CodeName:         "may contain only Chinese characters, Latin letters and ·",
	CodeTooLong:      "is too long",
	CodeRange:        "is out of range",
}

// Error is a typed validation error. The GUI shows a translated message
// chosen by Code; Field names the input and Value is the offending text.
type Error struct {
	Field string
	Code  string
	Value string
}

// Error returns an English message such as
// `id_number: check digit does not match ("520102199001011234")`.
func (e *Error) Error() string {
	msg, ok := messages[e.Code]
	if !ok {
		msg = e.Code
	}
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Value != "" {
		msg += fmt.Sprintf(" (%q)", e.Value)
	}
	return msg
}

// Is reports whether target is an *Error with the same Code, so that
// errors.Is(err, &valid.Error{Code: valid.CodeIDChecksum}) works through
// wrapping. A target with a non-empty Field must match the field too.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok || t.Code != e.Code {
		return false
	}
	return t.Field == "" || t.Field == e.Field
}

// fail builds an *Error; it keeps the call sites one line long.
func fail(field, code, value string) *Error {
	return &Error{Field: field, Code: code, Value: value}
}
