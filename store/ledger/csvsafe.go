package ledger

// Spreadsheets run a CSV cell that starts with =, +, - or @ as a formula
// (=HYPERLINK(...) leaks data, =cmd|... runs programs), and a leading tab
// or carriage return can hide such a start. Every CSV cell we write that
// could be read so gets a leading apostrophe, which spreadsheets treat as
// text; a ledger import removes exactly that apostrophe again, so "+86 138…"
// and "-5" come back as they went out.

// formulaStart reports whether a spreadsheet could read s as a formula.
func formulaStart(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// needsApostrophe also covers a value that already starts with apostrophes
// before a formula start, so that unquoting undoes exactly one.
func needsApostrophe(s string) bool {
	for len(s) > 0 && s[0] == '\'' {
		s = s[1:]
	}
	return formulaStart(s)
}

// SafeCell is a value as a CSV cell that no spreadsheet runs as a formula.
func SafeCell(s string) string {
	if needsApostrophe(s) {
		return "'" + s
	}
	return s
}

// UnsafeCell undoes SafeCell: UnsafeCell(SafeCell(s)) == s for every s.
func UnsafeCell(s string) string {
	if len(s) > 1 && s[0] == '\'' && needsApostrophe(s[1:]) {
		return s[1:]
	}
	return s
}

// safeRow applies SafeCell to every cell.
func safeRow(row []string) []string {
	out := make([]string, len(row))
	for i, c := range row {
		out[i] = SafeCell(c)
	}
	return out
}
