package report

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// form is a printed form: a title, a heading line, a status line (draft,
// submitted, correction), then a table with a row per figure (Defs) and a
// column per village or township, the total, and the figure's definition
// and source; notes under it.
type form struct {
	lang        string
	sheet       string
	title       string
	left, right string // second line: who reports, which period
	status      string // third line
	cols        []Row  // villages or townships; the total is last
	total       Row
	township    bool     // cells of township-wide rows show only in the total
	statusRow   []string // county: each column's submission status; nil: none
	notes       []string
}

// headerRows is where the figures start: title, heading, status, header.
const headerRows = 4

// writeForms renders a form as an .xlsx workbook, and the yearly sheet
// after it when there is one.
func writeForms(w io.Writer, f *form, year *yearSheet) error {
	x := excelize.NewFile()
	defer x.Close()
	st, err := newStyles(x)
	if err != nil {
		return err
	}
	if err := f.addSheet(x, st, true); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	if year != nil {
		if err := year.write(x, st); err != nil {
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

// width is the number of columns: group, figure, the columns, the total,
// the definition.
func (f *form) width() int { return len(f.cols) + 4 }

func colName(n int) string {
	s, _ := excelize.ColumnNumberToName(n)
	return s
}

func cell(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

func (f *form) writeTitle(x *excelize.File, st *styles) error {
	last := f.width()
	mid := max(last/2, 2)
	cells := []struct {
		from, to int
		row      int
		text     string
		style    int
	}{
		{1, last, 1, f.title, st.title},
		{1, mid, 2, f.left, st.heading},
		{mid + 1, last, 2, f.right, st.headingRight},
		{1, last, 3, f.status, st.status},
	}
	for _, c := range cells {
		if err := mergeText(x, f.sheet, cell(c.from, c.row), cell(c.to, c.row), c.text, c.style); err != nil {
			return err
		}
	}
	for row, h := range map[int]float64{1: 32, 2: 20, 3: 20} {
		if err := x.SetRowHeight(f.sheet, row, h); err != nil {
			return err
		}
	}
	return nil
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

// writeHeader writes the header row: group, figure, a column per village
// or township, the total, the definition; and the county's status row.
func (f *form) writeHeader(x *excelize.File, st *styles) error {
	values := []any{T(f.lang, "report.col.group"), T(f.lang, "report.col.metric")}
	for _, c := range f.cols {
		values = append(values, c.Name)
	}
	values = append(values, f.total.Name, T(f.lang, "report.col.definition"))
	if err := x.SetSheetRow(f.sheet, cell(1, headerRows), &values); err != nil {
		return err
	}
	if err := x.SetCellStyle(f.sheet, cell(1, headerRows), cell(f.width(), headerRows), st.header); err != nil {
		return err
	}
	return x.SetRowHeight(f.sheet, headerRows, 36)
}

// firstFigureRow is the sheet row of the first figure.
func (f *form) firstFigureRow() int {
	if f.statusRow != nil {
		return headerRows + 2
	}
	return headerRows + 1
}

// writeBody writes the status row (county) and one row per figure, the
// group merged down over its figures.
func (f *form) writeBody(x *excelize.File, st *styles) error {
	if f.statusRow != nil {
		values := []any{T(f.lang, "report.row.status"), ""}
		for _, s := range f.statusRow {
			values = append(values, s)
		}
		if err := f.setRow(x, st, headerRows+1, 1, append(values, "", ""), st.name); err != nil {
			return err
		}
		if err := x.MergeCell(f.sheet, cell(1, headerRows+1), cell(2, headerRows+1)); err != nil {
			return err
		}
	}
	row := f.firstFigureRow()
	for start := 0; start < len(Defs); {
		end := start
		for end+1 < len(Defs) && Defs[end+1].Group == Defs[start].Group {
			end++
		}
		if err := f.writeGroup(x, st, row, start, end); err != nil {
			return err
		}
		row += end - start + 1
		start = end + 1
	}
	return nil
}

func (f *form) writeGroup(x *excelize.File, st *styles, row, start, end int) error {
	if err := mergeText(x, f.sheet, cell(1, row), cell(1, row+end-start), T(f.lang, "report.group."+Defs[start].Group), st.header); err != nil {
		return err
	}
	for i := start; i <= end; i++ {
		if err := f.setRow(x, st, row+i-start, 2, f.figureRow(Defs[i]), st.number); err != nil {
			return err
		}
	}
	return nil
}

// figureRow is a figure's cells from the second column on.
func (f *form) figureRow(d Def) []any {
	values := []any{T(f.lang, "report.metric."+d.ID)}
	for _, c := range f.cols {
		switch {
		case d.Kind == Township && f.township, c.Counts == nil:
			values = append(values, "")
		default:
			values = append(values, d.Value(c.Counts))
		}
	}
	values = append(values, d.Value(f.total.Counts), T(f.lang, "report.def."+d.ID)+" "+d.Source)
	return values
}

// setRow writes cells from a column and styles them: the name, the
// figures, the total, the definition.
func (f *form) setRow(x *excelize.File, st *styles, row, from int, values []any, style int) error {
	if err := x.SetSheetRow(f.sheet, cell(from, row), &values); err != nil {
		return err
	}
	w := f.width()
	styled := []struct {
		from, to, style int
	}{{2, 2, st.name}, {3, w - 2, style}, {w - 1, w - 1, st.total}, {w, w, st.note}}
	for _, s := range styled {
		if s.from > s.to {
			continue
		}
		if err := x.SetCellStyle(f.sheet, cell(s.from, row), cell(s.to, row), s.style); err != nil {
			return err
		}
	}
	return nil
}

// lastRow is the sheet row of the last figure.
func (f *form) lastRow() int { return f.firstFigureRow() + len(Defs) - 1 }

func (f *form) writeNotes(x *excelize.File, st *styles) error {
	for i, n := range f.notes {
		row := f.lastRow() + 2 + i
		if err := mergeText(x, f.sheet, cell(1, row), cell(f.width(), row), n, st.plain); err != nil {
			return err
		}
	}
	return nil
}

// pageSetup prints on A4 landscape, all columns on one page width, the
// title and header repeated on every page, the header frozen on screen.
func (f *form) pageSetup(x *excelize.File, _ *styles) error {
	w := f.width()
	widths := []struct {
		from, to string
		width    float64
	}{{"A", "A", 10}, {"B", "B", 20}, {colName(3), colName(w - 1), 9}, {colName(w), colName(w), 48}}
	for _, c := range widths {
		if err := x.SetColWidth(f.sheet, c.from, c.to, c.width); err != nil {
			return err
		}
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
	return x.SetPanes(f.sheet, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: headerRows,
		TopLeftCell: cell(3, headerRows+1), ActivePane: "bottomRight"})
}

// styles are the cell styles of a form.
type styles struct {
	title, heading, headingRight, status, header, name, number, total, note, plain int
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
		{Font: &excelize.Font{Bold: true, Size: 11, Family: "宋体", Color: "C00000"}, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center"}},
		{Font: &excelize.Font{Bold: true, Size: 10, Family: "宋体"}, Alignment: center, Border: thin,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EDEDED"}}},
		{Font: &excelize.Font{Size: 10, Family: "宋体"}, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true}, Border: thin},
		{Font: &excelize.Font{Size: 10, Family: "宋体"}, Alignment: center, Border: thin},
		{Font: &excelize.Font{Bold: true, Size: 10, Family: "宋体"}, Alignment: center, Border: thin},
		{Font: &excelize.Font{Size: 9, Family: "宋体"}, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true}, Border: thin},
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
	return &styles{ids[0], ids[1], ids[2], ids[3], ids[4], ids[5], ids[6], ids[7], ids[8], ids[9]}, nil
}
