package ledger

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Errors of a file that cannot be read as a ledger at all. They reach the
// user through ReadError, which names its translation key.
var (
	ErrNoHeader = errors.New("no ledger header: no row among the first rows names both 姓名 and 身份证号")
	ErrOldExcel = errors.New("old .xls workbooks cannot be read; save the file as .xlsx or .csv")
	ErrCorrupt  = errors.New("the workbook is damaged or is not an .xlsx file")
	ErrEmpty    = errors.New("the file is empty")
)

// ReadError is a file that could not be read as a ledger: Kind is one of
// the Err values above, Cause the underlying error if any.
type ReadError struct {
	Kind  error
	Cause error
}

// Error is an English line for logs; users see MessageKey's translation.
func (e *ReadError) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("read ledger: %v: %v", e.Kind, e.Cause)
	}
	return "read ledger: " + e.Kind.Error()
}

// Unwrap lets errors.Is match both the kind and the cause.
func (e *ReadError) Unwrap() []error { return []error{e.Kind, e.Cause} }

// MessageKey implements app/msg's keyed errors.
func (e *ReadError) MessageKey() (string, []any) {
	switch e.Kind {
	case ErrNoHeader:
		return "ledger.error.no_header", []any{headerScan}
	case ErrOldExcel:
		return "ledger.error.xls", nil
	case ErrEmpty:
		return "ledger.error.empty", nil
	case ErrTooBig:
		return "ledger.error.too_big", []any{MaxRows, MaxUnpacked >> 20}
	}
	return "ledger.error.corrupt", nil
}

// table is a sheet as rows of cell text, with the row numbers a
// spreadsheet shows for them (blank lines and multi-line cells make them
// differ from indexes).
type table struct {
	rows   [][]string
	nums   []int
	source string // "xlsx", "csv", "csv-gb18030"
	sheet  string
}

// readTable reads an .xlsx workbook (found by its zip signature, whatever
// the file is called) or a CSV file in UTF-8, UTF-8 with BOM or GB18030.
func readTable(data []byte) (*table, error) {
	switch {
	case len(data) > MaxUnpacked:
		return nil, tooBig(errors.New("file past the bound"))
	case len(bytes.TrimSpace(data)) == 0:
		return nil, &ReadError{Kind: ErrEmpty}
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return readXLSX(data)
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return nil, &ReadError{Kind: ErrOldExcel}
	}
	return readCSV(data)
}

// readXLSX takes the first sheet that has a ledger header. Cells are read
// raw, so dates come as Excel serials and numbers with every digit Excel
// kept, never as the display format rounds them.
func readXLSX(data []byte) (*table, error) {
	if err := checkZip(data); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: MaxUnpacked})
	if err != nil {
		return nil, &ReadError{Kind: ErrCorrupt, Cause: err}
	}
	defer f.Close()
	var first *table
	for _, sheet := range f.GetSheetList() {
		t, err := readSheet(f, sheet)
		var re *ReadError
		if errors.As(err, &re) {
			return nil, err
		}
		if err != nil {
			return nil, &ReadError{Kind: ErrCorrupt, Cause: err}
		}
		if _, ok := findHeader(t.rows); ok {
			return t, nil
		}
		if first == nil {
			first = t
		}
	}
	if first == nil {
		return nil, &ReadError{Kind: ErrEmpty}
	}
	return first, nil
}

func readSheet(f *excelize.File, sheet string) (*table, error) {
	rows, err := sheetRows(f, sheet)
	if err != nil {
		return nil, err
	}
	merges, err := f.GetMergeCells(sheet)
	if err != nil {
		return nil, err
	}
	for _, m := range merges {
		rows = fillMerge(rows, m.GetStartAxis(), m.GetEndAxis())
	}
	t := &table{rows: rows, nums: make([]int, len(rows)), source: "xlsx", sheet: sheet}
	for i := range rows {
		t.nums[i] = i + 1
	}
	return t, nil
}

// sheetRows is excelize's GetRows (raw values, trailing empty rows left
// out) within MaxRows and MaxCells: a row numbered a million counts as a
// million rows, as it would be read.
func sheetRows(f *excelize.File, sheet string) ([][]string, error) {
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var out [][]string
	var budget rowBudget
	last := 0
	for it.Next() {
		row, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			break // as GetRows does
		}
		if err := budget.add(max(1, len(row))); err != nil {
			return nil, err
		}
		out = append(out, row)
		if len(row) > 0 {
			last = len(out)
		}
	}
	return out[:last], it.Error()
}

// fillMerge copies a merged range's value (kept by Excel in its top-left
// cell only) into every cell of the range, so a village merged over five
// persons belongs to all five.
func fillMerge(rows [][]string, from, to string) [][]string {
	c0, r0, err1 := excelize.CellNameToCoordinates(from)
	c1, r1, err2 := excelize.CellNameToCoordinates(to)
	if err1 != nil || err2 != nil || r0 > len(rows) {
		return rows
	}
	v := ""
	if c0 <= len(rows[r0-1]) {
		v = rows[r0-1][c0-1]
	}
	for r := r0; r <= r1 && r <= len(rows); r++ {
		for len(rows[r-1]) < c1 {
			rows[r-1] = append(rows[r-1], "")
		}
		for c := c0; c <= c1; c++ {
			rows[r-1][c-1] = v
		}
	}
	return rows
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// readCSV decodes the text and splits it into records. Bytes that are not
// UTF-8 mean the GB18030 (GBK) that Chinese Excel saves CSV in.
func readCSV(data []byte) (*table, error) {
	source := "csv"
	data = bytes.TrimPrefix(data, utf8BOM)
	if !utf8.Valid(data) {
		dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil {
			return nil, &ReadError{Kind: ErrCorrupt, Cause: err}
		}
		data, source = dec, "csv-gb18030"
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord, r.LazyQuotes, r.ReuseRecord = -1, true, false
	r.Comma = sniffComma(data)
	if err := countCells(data, r.Comma); err != nil {
		return nil, err
	}
	t := &table{source: source}
	var re *ReadError
	if err := t.readRecords(r); errors.As(err, &re) {
		return nil, err
	} else if err != nil {
		return nil, &ReadError{Kind: ErrCorrupt, Cause: err}
	}
	for _, row := range t.rows {
		for i, c := range row {
			row[i] = UnsafeCell(c) // our export's formula guard, see csvsafe.go
		}
	}
	return t, nil
}

// sniffComma picks tab for the tab-separated text Excel's "Unicode text"
// and copy-paste produce, comma otherwise.
func sniffComma(data []byte) rune {
	head := data[:min(len(data), 8192)]
	if bytes.Count(head, []byte("\t")) > bytes.Count(head, []byte(",")) {
		return '\t'
	}
	return ','
}

// readRecords numbers records as a spreadsheet would: encoding/csv skips
// empty lines, which a spreadsheet still shows as rows, while a quoted
// cell with line breaks is one row spread over several lines.
func (t *table) readRecords(r *csv.Reader) error {
	row, endLine := 0, 0
	var budget rowBudget
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := budget.add(len(rec)); err != nil {
			return err
		}
		start, _ := r.FieldPos(0)
		row += 1 + max(0, start-endLine-1)
		last, _ := r.FieldPos(len(rec) - 1)
		endLine = last + strings.Count(rec[len(rec)-1], "\n")
		t.rows, t.nums = append(t.rows, rec), append(t.nums, row)
	}
}
