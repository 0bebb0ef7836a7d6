package report

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"rehabdesk/assets"
	"rehabdesk/store/rules"
)

// WriteWorkbook writes a township's monthly report as an .xlsx form in a
// language ("zh" for the county; "en" for reading).
func WriteWorkbook(w io.Writer, m *Monthly, lang string, generated time.Time) error {
	f := &form{lang: lang, sheet: T(lang, "report.sheet.township"),
		title:  T(lang, "report.title.township", m.TownshipName),
		left:   T(lang, "report.heading.unit", countyName(m.County)+m.TownshipName, m.Township),
		right:  period(lang, m.Month),
		status: StatusLine(lang, m), cols: append([]Row{}, m.Rows...), total: m.Total, township: true}
	f.total.Name = T(lang, "report.total")
	for i, r := range f.cols {
		if r.Code == noVillage {
			f.cols[i].Name = T(lang, "report.no_village")
		}
	}
	f.notes = townshipNotes(lang, m, generated)
	return writeForms(w, f, nil)
}

// StatusLine says where the month stands: a draft before the deadline, late
// after it, submitted, corrected, or changed since its last revision.
func StatusLine(lang string, m *Monthly) string {
	switch m.Status {
	case StatusSubmitted, StatusCorrected:
		return T(lang, "report.status."+m.Status, m.Revision)
	case StatusChanged:
		names := make([]string, len(m.Changed))
		for i, id := range m.Changed {
			names[i] = T(lang, "report.metric."+id)
		}
		return T(lang, "report.status.changed", m.Revision, strings.Join(names, T(lang, "report.list_sep")))
	case StatusOpen:
		return T(lang, "report.status.open")
	}
	return T(lang, "report.status."+m.Status, m.Deadline)
}

func townshipNotes(lang string, m *Monthly, generated time.Time) []string {
	s := m.Staffing
	return []string{
		T(lang, "report.note.staffing", s.Staff, s.Users, m.UsersPerStaff, s.ByUsers, s.UnderCare, m.RehabPerStaff, s.ByUnderCare, s.Required),
		targetsNote(lang, monthYear(m.Month), m.Targets),
		T(lang, "report.note.asof", m.AsOf.In(rules.ChinaTime).Format("2006-01-02 15:04")),
		T(lang, "report.note.sign", generated.In(rules.ChinaTime).Format("2006-01-02")),
	}
}

func countyName(code string) string {
	if c, ok := assets.County(code); ok {
		return c.Name
	}
	return ""
}

// period is the heading's "报表期间：2026年10月（数据截至2026-10-31 24时）".
func period(lang, month string) string {
	m, err := ParseMonth(month)
	if err != nil {
		return month
	}
	return T(lang, "report.heading.period", m.Year, int(m.Month), m.Last().String())
}

// WriteWorkbookFile writes the workbook to path through a temporary file
// renamed into place, so a failure never leaves half a workbook where the
// last good one was.
func WriteWorkbookFile(path string, m *Monthly, lang string, generated time.Time) error {
	return writeFileVia(path, func(w io.Writer) error { return WriteWorkbook(w, m, lang, generated) })
}

// writeFileVia writes a file through a temporary file renamed into place.
func writeFileVia(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".report-*.xlsx")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// monthYear is the year of a "2026-10" month, 0 if unreadable.
func monthYear(month string) int {
	m, err := ParseMonth(month)
	if err != nil {
		return 0
	}
	return m.Year
}
