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
	var lines []extraItem
	for _, l := range strings.Split(old, "\n") {
		if l == "" {
			continue
		}
		col, val, _ := strings.Cut(l, extraSep)
		if !drop[col] {
			lines = append(lines, extraItem{col, val})
		}
	}
	for _, it := range set {
		lines = setLine(lines, it)
	}
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l.column + extraSep + l.value)
	}
	return b.String()
}

func setLine(lines []extraItem, it extraItem) []extraItem {
	it.value = strings.Join(strings.Fields(it.value), " ") // one line per column
	for i := range lines {
		if lines[i].column == it.column {
			lines[i].value = it.value
			return lines
		}
	}
	return append(lines, it)
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
