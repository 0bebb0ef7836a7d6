package ledger

import "strings"

// extraItem is one value kept in a person's ledger_extra field.
type extraItem struct {
	column, value string
}

// extraSep separates a column from its value in ledger_extra, as a ledger
// writer would in Chinese: "户籍派出所：新华路派出所".
const extraSep = "："

// mergeExtra returns the ledger_extra text with the items set and the
// dropped columns removed; lines of other columns stay as they are, so a
// second ledger with other columns adds to, never replaces, the first.
func mergeExtra(old string, set []extraItem, drop columnSet) string {
	var lines []string
	for _, l := range strings.Split(old, "\n") {
		if col, _, ok := strings.Cut(l, extraSep); l != "" && !(ok && drop.hasName(col)) {
			lines = append(lines, l) // lines typed by hand stay as they are
		}
	}
	for _, it := range set {
		lines = setLine(lines, it)
	}
	return strings.Join(lines, "\n")
}

// columnSet is a set of standard columns: a row's set of columns was a
// map per row before.
type columnSet uint64

var _ [64 - numAllColumns]struct{} // every column has its bit

func (s *columnSet) add(c Column) { *s |= 1 << c }

// hasName reports whether the set holds the column of that standard name.
func (s columnSet) hasName(name string) bool {
	for c := range numAllColumns {
		if s&(1<<c) != 0 && header[c] == name {
			return true
		}
	}
	return false
}

func setLine(lines []string, it extraItem) []string {
	line := it.column + extraSep + strings.Join(strings.Fields(it.value), " ") // one line per column
	for i, l := range lines {
		if col, _, ok := strings.Cut(l, extraSep); ok && col == it.column {
			lines[i] = line
			return lines
		}
	}
	return append(lines, line)
}

// extraValue finds the value of a column in ledger_extra.
func extraValue(extra, column string) string {
	for _, l := range strings.Split(extra, "\n") {
		if col, val, ok := strings.Cut(l, extraSep); ok && col == column {
			return val
		}
	}
	return ""
}

// SetAsideLines lists the lines of a person's ledger_extra that hold a value
// of a column the import knows but could not take (an unknown word, a bad
// date): each is a cell for the officer to fix, shown on the person's file
// until they mark it done. Lines of columns the ledger format does not
// know are kept information, not problems.
func SetAsideLines(extra string) []string {
	var out []string
	for _, l := range strings.Split(extra, "\n") {
		col, _, ok := strings.Cut(l, extraSep)
		if ok && columnOf(col) >= 0 {
			out = append(out, l)
		}
	}
	return out
}

// DropLine returns ledger_extra without one line, once the officer fixed
// what it holds.
func DropLine(extra, line string) string {
	var out []string
	for _, l := range strings.Split(extra, "\n") {
		if l != line && l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
