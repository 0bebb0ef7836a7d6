package ledger

import (
	"runtime"

	"rehabdesk/store/valid"
)

// feed hands an import its rows batch by batch, each parsed just before it
// is staged. Parsing the whole ledger first held every row parsed until it
// was written: most of a large import's live heap, which the garbage
// collector marked again at every cycle.
type feed struct {
	p    *parser
	l    *layout
	rows [][]string // the table's rows below the header; let go once parsed
	nums []int      // their spreadsheet row numbers
	// seen is the first row of each ID number so far, for the rows after
	// it: batches are parsed in order.
	seen map[string]firstRow
}

// firstRow is what a later row with the same ID number is compared with.
type firstRow struct {
	row int
	sig uint64
}

func newFeed(t *table, l *layout, p *parser) *feed {
	first := min(l.row+1, len(t.rows))
	return &feed{p: p, l: l, rows: t.rows[first:], nums: t.nums[first:], seen: map[string]firstRow{}}
}

// count is the number of rows the import handles (blank rows and repeated
// headers excluded), known before any row is parsed: the report's total.
func (f *feed) count() int {
	n := 0
	for _, cells := range f.rows {
		if !f.p.skips(cells) {
			n++
		}
	}
	return n
}

// batch parses the rows from lo to hi on every CPU (rows are parsed
// independently) and settles duplicates: a row repeating the ID number of
// an earlier one is skipped when identical to it, rejected otherwise.
func (f *feed) batch(lo, hi int) []item {
	parsed := make([]item, hi-lo)
	inParts(len(parsed), min(runtime.GOMAXPROCS(0), len(parsed)/500), func(i int) {
		parsed[i].e, parsed[i].prob = f.p.parse(f.nums[lo+i], f.rows[lo+i])
		f.rows[lo+i] = nil
	})
	items := parsed[:0]
	for _, it := range parsed {
		if it.e == nil && it.prob == nil {
			continue // blank
		}
		if e := it.e; e != nil {
			if first, ok := f.seen[e.id]; ok {
				it = item{prob: f.duplicate(e, first)}
			} else {
				f.seen[e.id] = firstRow{row: e.row, sig: e.sig}
			}
		}
		items = append(items, it)
	}
	clear(parsed[len(items):])
	return items
}

func (f *feed) duplicate(e *entry, first firstRow) *Problem {
	if e.sig == first.sig {
		return &Problem{Row: e.row, Severity: Duplicate, Key: "ledger.row.duplicate", Args: []any{first.row}}
	}
	return &Problem{Row: e.row, Column: f.l.colName(ColID), Severity: Rejected, Key: "ledger.row.conflict",
		Args: []any{valid.MaskID(e.id), first.row}}
}
