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
func mergeExtra(old string, set []extraItem, drop map[string]bool) string {
	var lines []string
	for _, l := range strings.Split(old, "\n") {
		if col, _, ok := strings.Cut(l, extraSep); l != "" && !(ok && drop[col]) {
			lines = append(lines, l) // lines typed by hand stay as they are
		}
	}
	for _, it := range set {
		lines = setLine(lines, it)
	}
	return strings.Join(lines, "\n")
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
