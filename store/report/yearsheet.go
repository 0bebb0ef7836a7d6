package report

import "github.com/xuri/excelize/v2"

// yearSheet is the county workbook's 年度目标 sheet: the year to date
// against the targets the county set, one line per target; a target not set
// gives no verdict, a police figure not entered stays empty.
type yearSheet struct {
	lang, sheet, title, left, status string
	lines                            []TargetLine
	notes                            []string
}

// yearForm builds the sheet of a county summary.
func (c *County) yearForm(lang string, month *form) *yearSheet {
	y := c.Year
	if y == nil {
		y = &YearToDate{}
	}
	s := &yearSheet{lang: lang, sheet: T(lang, "report.sheet.year"), title: T(lang, "report.title.year_county", c.CountyName),
		left: month.left, lines: y.Lines()}
	s.status = T(lang, "report.year.period", y.Year, y.MonthNumber(), y.Months)
	if len(y.Targets) == 0 {
		s.notes = append(s.notes, T(lang, "report.year.note.no_targets", y.Year))
	}
	s.notes = append(s.notes, T(lang, "report.year.note.police"), T(lang, "report.year.note.set"))
	return s
}

// write adds the sheet to the workbook.
func (s *yearSheet) write(x *excelize.File, st *styles) error {
	if _, err := x.NewSheet(s.sheet); err != nil {
		return err
	}
	const width = 5
	for i, line := range []struct {
		text  string
		style int
	}{{s.title, st.title}, {s.left, st.heading}, {s.status, st.status}} {
		if err := mergeText(x, s.sheet, cell(1, i+1), cell(width, i+1), line.text, line.style); err != nil {
			return err
		}
	}
	head := []any{T(s.lang, "report.year.col.target"), T(s.lang, "report.year.col.actual"), T(s.lang, "report.year.col.goal"),
		T(s.lang, "report.year.col.verdict"), T(s.lang, "report.year.col.definition")}
	if err := s.row(x, 4, head, st.header); err != nil {
		return err
	}
	for i, l := range s.lines {
		verdict := ""
		if l.Verdict != "" {
			verdict = T(s.lang, "report.year.verdict."+l.Verdict)
		}
		values := []any{T(s.lang, "report.year.target."+l.Name), l.Actual, l.Target, verdict, T(s.lang, "report.year.def."+l.Name)}
		if err := s.row(x, 5+i, values, st.name); err != nil {
			return err
		}
	}
	for i, n := range s.notes {
		row := 6 + len(s.lines) + i
		if err := mergeText(x, s.sheet, cell(1, row), cell(width, row), n, st.plain); err != nil {
			return err
		}
	}
	if err := x.SetColWidth(s.sheet, "A", "A", 28); err != nil {
		return err
	}
	if err := x.SetColWidth(s.sheet, "B", "D", 12); err != nil {
		return err
	}
	return x.SetColWidth(s.sheet, "E", "E", 60)
}

func (s *yearSheet) row(x *excelize.File, row int, values []any, style int) error {
	if err := x.SetSheetRow(s.sheet, cell(1, row), &values); err != nil {
		return err
	}
	return x.SetCellStyle(s.sheet, cell(1, row), cell(len(values), row), style)
}
