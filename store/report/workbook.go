package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// form is a printed form: a title, two heading lines, a table with a
// two-level header, a totals row and notes under it.
type form struct {
	lang        string
	sheet       string
	title       string
	left, right string // second line: who reports, which period
	first       string // header of the first column (village, township)
	cols        []column
	rows        []Row
	total       Row
	notes       []string
}

// column is one data column: its group, its own label and its value.
type column struct {
	group, label string
	value        func(Row) any
}

// headerRows is where the data starts: title, heading, two header rows.
const headerRows = 4

// metricColumns are the report's columns with their labels and the
// placement rate after the employment group.
func metricColumns(lang string) []column {
	var cols []column
	for _, m := range Metrics {
		id := m.ID
		cols = append(cols, column{T(lang, "report.group."+m.Group), T(lang, "report.metric."+id),
			func(r Row) any { return r.Counts[id] }})
		if id == "emp_unknown" {
			cols = append(cols, column{T(lang, "report.group.employment"), T(lang, "report.metric.placement_rate"),
				func(r Row) any { return r.Counts.PlacementRate() }})
		}
	}
	return cols
}

// writeForms renders forms as an .xlsx workbook, one sheet each, in order.
func writeForms(w io.Writer, forms ...*form) error {
	x := excelize.NewFile()
	defer x.Close()
	st, err := newStyles(x)
	if err != nil {
		return err
	}
	for i, f := range forms {
		if err := f.addSheet(x, st, i == 0); err != nil {
			return fmt.Errorf("write workbook: %w", err)
		}
	}
	_, err = x.WriteTo(w)
	return err
}

// addSheet writes the form on the workbook's first sheet or on a new one.
func (f *form) addSheet(x *excelize.File, st *styles, first bool) error {
	if first {
		if err := x.SetSheetName("Sheet1", f.sheet); err != nil {
			return err
		}
	} else if _, err := x.NewSheet(f.sheet); err != nil {
		return err
	}
	steps := []func(*excelize.File, *styles) error{f.writeTitle, f.writeHeader, f.writeBody, f.writeNotes, f.pageSetup}
	for _, step := range steps {
		if err := step(x, st); err != nil {
			return err
		}
	}
	return nil
}

// lastCol is the letter of the last column.
func (f *form) lastCol() string { return colName(len(f.cols) + 1) }

func colName(n int) string {
	s, _ := excelize.ColumnNumberToName(n)
	return s
}

func cell(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

func (f *form) writeTitle(x *excelize.File, st *styles) error {
	last := len(f.cols) + 1
	mid := last / 2
	cells := []struct {
		from, to int
		row      int
		text     string
		style    int
	}{
		{1, last, 1, f.title, st.title},
		{1, mid, 2, f.left, st.heading},
		{mid + 1, last, 2, f.right, st.headingRight},
	}
	for _, c := range cells {
		if err := mergeText(x, f.sheet, cell(c.from, c.row), cell(c.to, c.row), c.text, c.style); err != nil {
			return err
		}
	}
	if err := x.SetRowHeight(f.sheet, 1, 32); err != nil {
		return err
	}
	return x.SetRowHeight(f.sheet, 2, 20)
}

func mergeText(x *excelize.File, sheet, from, to, text string, style int) error {
	if from != to {
		if err := x.MergeCell(sheet, from, to); err != nil {
			return err
		}
	}
	if err := x.SetCellValue(sheet, from, text); err != nil {
		return err
	}
	return x.SetCellStyle(sheet, from, to, style)
}

// writeHeader writes the two header rows: each group merged across its
// columns, a group of one column merged down both rows.
func (f *form) writeHeader(x *excelize.File, st *styles) error {
	if err := mergeText(x, f.sheet, cell(1, 3), cell(1, 4), f.first, st.header); err != nil {
		return err
	}
	for start := 0; start < len(f.cols); {
		end := start
		for end+1 < len(f.cols) && f.cols[end+1].group == f.cols[start].group {
			end++
		}
		if err := f.writeGroup(x, st, start, end); err != nil {
			return err
		}
		start = end + 1
	}
	return x.SetRowHeight(f.sheet, 4, 48)
}

func (f *form) writeGroup(x *excelize.File, st *styles, start, end int) error {
	c0, c1 := start+2, end+2
	g := f.cols[start]
	if start == end {
		text := g.group
		switch {
		case strings.HasPrefix(g.label, g.group):
			text = g.label
		case g.label != "":
			text = g.group + "\n" + g.label
		}
		return mergeText(x, f.sheet, cell(c0, 3), cell(c0, 4), text, st.header)
	}
	if err := mergeText(x, f.sheet, cell(c0, 3), cell(c1, 3), g.group, st.header); err != nil {
		return err
	}
	for i := start; i <= end; i++ {
		if err := mergeText(x, f.sheet, cell(i+2, 4), cell(i+2, 4), f.cols[i].label, st.header); err != nil {
			return err
		}
	}
	return nil
}

// writeBody writes one row per village (or township) and the totals row.
func (f *form) writeBody(x *excelize.File, st *styles) error {
	for i, r := range append(append([]Row{}, f.rows...), f.total) {
		row := headerRows + 1 + i
		style, nameStyle := st.number, st.name
		if i == len(f.rows) {
			style, nameStyle = st.total, st.totalName
		}
		values := []any{r.Name}
		for _, c := range f.cols {
			values = append(values, c.value(r))
		}
		if err := x.SetSheetRow(f.sheet, cell(1, row), &values); err != nil {
			return err
		}
		if err := x.SetCellStyle(f.sheet, cell(1, row), cell(1, row), nameStyle); err != nil {
			return err
		}
		if err := x.SetCellStyle(f.sheet, cell(2, row), cell(len(f.cols)+1, row), style); err != nil {
			return err
		}
	}
	return nil
}

// totalRow is the sheet row of the totals.
func (f *form) totalRow() int { return headerRows + len(f.rows) + 1 }

func (f *form) writeNotes(x *excelize.File, st *styles) error {
	for i, n := range f.notes {
		row := f.totalRow() + 2 + i
		if err := mergeText(x, f.sheet, cell(1, row), cell(len(f.cols)+1, row), n, st.note); err != nil {
			return err
		}
	}
	return nil
}

// pageSetup prints on A4 landscape, all columns on one page width, the
// title and headers repeated on every page, the header frozen on screen.
func (f *form) pageSetup(x *excelize.File, _ *styles) error {
	if err := x.SetColWidth(f.sheet, "A", "A", 16); err != nil {
		return err
	}
	if err := x.SetColWidth(f.sheet, "B", f.lastCol(), 6.2); err != nil {
		return err
	}
	size, orient, one, zero, yes := 9, "landscape", 1, 0, true // 9 = A4
	if err := x.SetPageLayout(f.sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient,
		FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return err
	}
	if err := x.SetSheetProps(f.sheet, &excelize.SheetPropsOptions{FitToPage: &yes}); err != nil {
		return err
	}
	m := 0.4
	if err := x.SetPageMargins(f.sheet, &excelize.PageLayoutMarginsOptions{Left: &m, Right: &m, Top: &m, Bottom: &m}); err != nil {
		return err
	}
	if err := x.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles",
		RefersTo: fmt.Sprintf("'%s'!$1:$%d", f.sheet, headerRows), Scope: f.sheet}); err != nil {
		return err
	}
	return x.SetPanes(f.sheet, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: headerRows,
		TopLeftCell: cell(2, headerRows+1), ActivePane: "bottomRight"})
}

// styles are the cell styles of a form.
type styles struct {
	title, heading, headingRight, header, name, number, total, totalName, note int
}

func newStyles(x *excelize.File) (*styles, error) {
	// A border without a colour is written as <color rgb="FF"/>, which
	// openpyxl (and pandas) refuse to open: every border names black.
	thin := []excelize.Border{{Type: "left", Style: 1, Color: "000000"}, {Type: "right", Style: 1, Color: "000000"},
		{Type: "top", Style: 1, Color: "000000"}, {Type: "bottom", Style: 1, Color: "000000"}}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	specs := []*excelize.Style{
		{Font: &excelize.Font{Bold: true, Size: 18, Family: "宋体"}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}},
		{Font: &excelize.Font{Size: 11, Family: "宋体"}, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center"}},
		{Font: &excelize.Font{Size: 11, Family: "宋体"}, Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "center"}},
		{Font: &excelize.Font{Bold: true, Size: 10, Family: "宋体"}, Alignment: center, Border: thin,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EDEDED"}}},
		{Font: &excelize.Font{Size: 10, Family: "宋体"}, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true}, Border: thin},
		{Font: &excelize.Font{Size: 10, Family: "宋体"}, Alignment: center, Border: thin},
		{Font: &excelize.Font{Bold: true, Size: 10, Family: "宋体"}, Alignment: center, Border: thin},
		{Font: &excelize.Font{Bold: true, Size: 10, Family: "宋体"}, Alignment: center, Border: thin},
		{Font: &excelize.Font{Size: 10, Family: "宋体"}, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true}},
	}
	ids := make([]int, len(specs))
	for i, s := range specs {
		id, err := x.NewStyle(s)
		if err != nil {
			return nil, err
		}
		ids[i] = id
	}
	return &styles{ids[0], ids[1], ids[2], ids[3], ids[4], ids[5], ids[6], ids[7], ids[8]}, nil
}
