package ledger

import (
	"errors"
	"fmt"

	"rehabdesk/store"
	"rehabdesk/store/valid"
)

// Severity says what became of a row with a problem.
type Severity int

// Severities of problems.
const (
	// Rejected rows were not imported at all.
	Rejected Severity = iota
	// Duplicate rows repeat an earlier row of the same file word for word
	// and were skipped: nothing is lost.
	Duplicate
	// Warning rows were imported; one value was set aside (kept as text in
	// ledger_extra) or corrected, as the reason says.
	Warning
)

// Problem is one thing wrong with one row of a ledger, in terms a user can
// act on: the row as the spreadsheet numbers it, the column as the file
// names it and a translatable reason.
type Problem struct {
	Row      int    // row number the spreadsheet shows
	Column   string // header text of the column in the file; "" for the whole row
	Severity Severity
	Key      string // translation key of the reason (assets/translations)
	Args     []any  // arguments of the reason's text
	Err      error  // the underlying error, if any
}

// Error is an English line for logs; users see MessageKey's translation.
func (p Problem) Error() string {
	s := fmt.Sprintf("row %d", p.Row)
	if p.Column != "" {
		s += " (" + p.Column + ")"
	}
	if p.Err != nil {
		return s + ": " + p.Err.Error()
	}
	return s + ": " + p.Key + fmt.Sprint(p.Args...)
}

// Unwrap returns the underlying error.
func (p Problem) Unwrap() error { return p.Err }

// MessageKey implements app/msg's keyed errors: the reason, whose text
// names the column itself.
func (p Problem) MessageKey() (string, []any) { return p.Key, p.Args }

// problemOf turns an error of validation or of the store into a problem of
// a column. Validation errors keep app/msg's keys, with the file's column
// header in place of the field name.
func problemOf(row int, column string, sev Severity, err error) Problem {
	p := Problem{Row: row, Column: column, Severity: sev, Err: err}
	var ve *valid.Error
	var dup *store.DuplicateError
	var keyed interface{ MessageKey() (string, []any) } // an error naming its own sentence (a transfer, …)
	switch {
	case errors.As(err, &ve):
		p.Key, p.Args = "error.valid."+ve.Code, []any{column, ve.Value}
		if ve.Code == valid.CodeRequired || ve.Code == valid.CodeTooLong {
			p.Args = p.Args[:1] // their texts name only the column
		}
	case errors.As(err, &dup):
		p.Key, p.Args = "error.duplicate_person", []any{valid.MaskID(dup.Number)}
	case errors.As(err, &keyed):
		p.Key, p.Args = keyed.MessageKey()
	default:
		p.Key, p.Args = "ledger.row.failed", []any{err.Error()}
	}
	return p
}

// Report is the outcome of an import.
type Report struct {
	Source string // "xlsx", "csv" or "csv-gb18030"
	Sheet  string // the worksheet read, for xlsx
	// HeaderRow is the spreadsheet row of the header.
	HeaderRow int
	// Rows counts the person rows below the header (blank rows excluded).
	Rows int
	// Done counts the rows handled and committed; less than Rows when the
	// import was cancelled or failed part-way.
	Done int
	// SavedThrough is the spreadsheet row that ends the last batch saved
	// (0 before the first): every row up to it was handled and committed,
	// none after it. NextRow is the spreadsheet row after it, the first
	// one left (0 when none is).
	SavedThrough, NextRow int

	New       int // persons created
	Updated   int // persons existing and changed
	Unchanged int // persons existing and identical
	Rejected  int // rows not imported
	Skipped   int // identical duplicates of an earlier row

	// UnknownColumns are header texts the ledger format does not know; their
	// values are kept in each person's ledger_extra field.
	UnknownColumns []string
	Problems       []Problem // in row order
}

// Count returns how many problems have a severity.
func (r *Report) Count(sev Severity) int {
	n := 0
	for _, p := range r.Problems {
		if p.Severity == sev {
			n++
		}
	}
	return n
}
