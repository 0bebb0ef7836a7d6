package report

import (
	"io"
	"sort"
	"strings"
	"time"

	"rehabdesk/assets"
	"rehabdesk/store/rules"
)

// StaleAfter is how long without a sync makes a township stale in the
// county workbook.
const StaleAfter = 7 * 24 * time.Hour

// County is the county office's summary of one month: a row per township
// (totals of its submitted report) and the county's totals.
type County struct {
	County     string
	CountyName string
	Month      string
	Rows       []Row // every expected or submitting township, by code
	Total      Row   // sum of the submitted reports
	Submitted  map[string]time.Time
	LastSync   map[string]time.Time
	Missing    []string // townships with no report for the month
	Stale      []string // townships not synced for more than StaleAfter
	NoYear     []string // townships whose report lacks the yearly-target figures
}

// Combine sums the townships' reports of a month into the county summary.
// expected lists the townships that should report (those the county server
// serves); lastSync is each township's latest sync; now is when the summary
// is made. Staffing is added as the "staff" and "staff_required" counts.
func Combine(county, month string, reports []*Submitted, expected []string, lastSync map[string]time.Time, now time.Time) *County {
	c := &County{County: county, Month: month, Submitted: map[string]time.Time{}, LastSync: lastSync,
		Total: Row{Code: county, Counts: Counts{}}}
	if d, ok := assets.County(county); ok {
		c.CountyName = d.Name
	}
	rows := map[string]*Row{}
	for _, code := range expected {
		rows[code] = &Row{Code: code, Name: townshipName(code), Counts: Counts{}}
	}
	for _, r := range reports {
		if r.Month != month {
			continue
		}
		row := &Row{Code: r.Township, Name: townshipName(r.Township), Counts: Counts{}}
		row.Counts.Add(r.Total.Counts)
		row.Counts["staff"], row.Counts["staff_required"] = r.Staffing.Staff, r.Staffing.Required
		row.Year = r.Total.Year
		rows[r.Township] = row
		c.Submitted[r.Township] = r.Submitted
		c.Total.Counts.Add(row.Counts)
	}
	for code, row := range rows {
		c.Rows = append(c.Rows, *row)
		if _, ok := c.Submitted[code]; !ok {
			c.Missing = append(c.Missing, code)
		}
		if t := lastSync[code]; t.IsZero() || now.Sub(t) > StaleAfter {
			c.Stale = append(c.Stale, code)
		}
		if _, ok := c.Submitted[code]; ok && row.Year == nil {
			c.NoYear = append(c.NoYear, code)
		}
	}
	sort.Slice(c.Rows, func(i, j int) bool { return c.Rows[i].Code < c.Rows[j].Code })
	sort.Strings(c.Missing)
	sort.Strings(c.Stale)
	sort.Strings(c.NoYear)
	c.Total.Year = combineYears(c.Rows)
	return c
}

func townshipName(code string) string {
	if t, ok := assets.Township(code); ok {
		return t.Name
	}
	return code
}

// WriteCountyWorkbook writes the county summary as an .xlsx form.
func WriteCountyWorkbook(w io.Writer, c *County, lang string) error {
	f := &form{lang: lang, sheet: T(lang, "report.sheet.county"), first: T(lang, "report.col.township"),
		title: T(lang, "report.title.county", c.CountyName),
		left:  T(lang, "report.heading.unit", c.CountyName, c.County),
		right: period(lang, c.Month), rows: c.Rows, total: c.Total}
	f.total.Name = T(lang, "report.total")
	for _, col := range metricColumns(lang) {
		f.cols = append(f.cols, column{col.group, col.label, c.ifSubmitted(col.value)})
	}
	staffing := T(lang, "report.group.staffing")
	f.cols = append(f.cols,
		column{staffing, T(lang, "report.metric.staff"), c.ifSubmitted(func(r Row) any { return r.Counts["staff"] })},
		column{staffing, T(lang, "report.metric.staff_required"), c.ifSubmitted(func(r Row) any { return r.Counts["staff_required"] })},
		column{T(lang, "report.group.sync"), T(lang, "report.metric.last_sync"), func(r Row) any { return c.dateOf(c.LastSync, r.Code) }})
	f.notes = []string{
		c.siteNote(lang),
		T(lang, "report.note.county_missing", len(c.Missing), c.names(lang, c.Missing)),
		T(lang, "report.note.county_stale", int(StaleAfter.Hours()/24), len(c.Stale), c.names(lang, c.Stale)),
	}
	return writeForms(w, f, countyYearForm(lang, c, f))
}

// HasSubmitted reports whether a township sent its report for the month.
func (c *County) HasSubmitted(code string) bool {
	_, ok := c.Submitted[code]
	return ok
}

// siteNote checks the county's central placements (集中安置) against the
// requirement for its number of registered users, from the submitted
// reports.
func (c *County) siteNote(lang string) string {
	th := rules.DefaultThresholds()
	users, central := c.Total.Counts["persons"], c.Total.Counts["emp_central"]
	need := rules.SiteRequirement(users, &th)
	verdict := T(lang, "report.note.site_ok")
	if central < need {
		verdict = T(lang, "report.note.site_short")
	}
	return T(lang, "report.note.site", users, need, central, verdict)
}

// ifSubmitted leaves the cells of a township without a report empty, so a
// missing report is not read as zeros; the totals row always shows.
func (c *County) ifSubmitted(v func(Row) any) func(Row) any {
	return func(r Row) any {
		if _, ok := c.Submitted[r.Code]; !ok && r.Code != c.County {
			return ""
		}
		return v(r)
	}
}

func (c *County) dateOf(m map[string]time.Time, code string) string {
	if t, ok := m[code]; ok && !t.IsZero() {
		return t.In(rules.ChinaTime).Format("2006-01-02")
	}
	return ""
}

func (c *County) names(lang string, codes []string) string {
	if len(codes) == 0 {
		return T(lang, "report.note.none")
	}
	names := make([]string, len(codes))
	for i, code := range codes {
		names[i] = townshipName(code)
	}
	return strings.Join(names, T(lang, "report.list_sep"))
}
