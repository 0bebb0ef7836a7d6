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

// County is the county office's summary of one month: a column per township
// (the totals of its latest revision) and the county's totals.
type County struct {
	County     string
	CountyName string
	Month      string
	Deadline   rules.Day
	Rows       []Row // every expected or submitting township, by code
	Total      Row   // sum of the latest revisions
	Townships  map[string]TownshipMonth
	LastSync   map[string]time.Time
	Missing    []string // townships with no report for the month (draft or late)
	Late       []string // of them, past the deadline
	Corrected  []string // townships whose latest revision is a correction
	Stale      []string // townships not synced for more than StaleAfter
	// Unreadable holds the townships whose submission of the month could not
	// be read: any device of a township can write that record, so a bad one
	// is shown as such and not counted, and the other townships' figures
	// are still given.
	Unreadable map[string]bool
	Year       *YearToDate
}

// TownshipMonth is where one township's month stands at the county.
type TownshipMonth struct {
	Status    string    // StatusOpen, StatusDraft, StatusLate, StatusSubmitted, StatusCorrected
	Revision  int       // latest revision, 0 for none
	Submitted time.Time // when the latest revision was made
	Changed   []string  // rows the latest revision changed from the one before
}

// Combine sums the townships' latest revisions of a month into the county
// summary. revisions holds each township's revisions of the month (any
// order); expected lists the townships that should report; lastSync is each
// township's latest sync; now is when the summary is made and deadlineDay
// the day of the next month the month closes (report_deadline_day).
func Combine(county, month string, revisions map[string][]*Submitted, expected []string, lastSync map[string]time.Time, now time.Time, deadlineDay int) *County {
	m, _ := ParseMonth(month)
	c := &County{County: county, Month: month, Deadline: m.Deadline(deadlineDay), Townships: map[string]TownshipMonth{},
		LastSync: lastSync, Total: Row{Code: county, Counts: Counts{}}}
	if d, ok := assets.County(county); ok {
		c.CountyName = d.Name
	}
	codes := map[string]bool{}
	for _, code := range expected {
		codes[code] = true
	}
	for code := range revisions {
		codes[code] = true
	}
	today := rules.DayOfChina(now)
	for code := range codes {
		c.addTownship(code, revisions[code], m, today)
		if t := lastSync[code]; t.IsZero() || now.Sub(t) > StaleAfter {
			c.Stale = append(c.Stale, code)
		}
	}
	sort.Slice(c.Rows, func(i, j int) bool { return c.Rows[i].Code < c.Rows[j].Code })
	for _, list := range [][]string{c.Missing, c.Late, c.Corrected, c.Stale} {
		sort.Strings(list)
	}
	return c
}

// addTownship adds a township's column from its latest revision.
func (c *County) addTownship(code string, revs []*Submitted, m Month, today rules.Day) {
	sort.Slice(revs, func(i, j int) bool { return revs[i].Revision < revs[j].Revision })
	row := Row{Code: code, Name: assets.Name(code)}
	tm := TownshipMonth{}
	if n := len(revs); n > 0 {
		last := revs[n-1]
		row.Counts = Counts{}
		row.Counts.Add(last.Total.Counts)
		c.Total.Counts.Add(row.Counts)
		tm = TownshipMonth{Status: StatusSubmitted, Revision: last.Revision, Submitted: last.Submitted}
		if last.Revision > 1 {
			tm.Status = StatusCorrected
			c.Corrected = append(c.Corrected, code)
			if n > 1 {
				tm.Changed = Changes(revs[n-2].Total.Counts, last.Total.Counts)
			}
		}
	} else {
		c.Missing = append(c.Missing, code)
		switch {
		case !m.Ended(today):
			tm.Status = StatusOpen
		case today <= c.Deadline:
			tm.Status = StatusDraft
		default:
			tm.Status = StatusLate
			c.Late = append(c.Late, code)
		}
	}
	c.Townships[code] = tm
	c.Rows = append(c.Rows, row)
}

// StatusWord is a township's status for the month in a word or two, with
// its revision: "更正 第2版".
func (c *County) StatusWord(lang, code string) string {
	if c.Unreadable[code] {
		return T(lang, "report.web.unreadable")
	}
	tm := c.Townships[code]
	word := T(lang, "report.status.word."+tm.Status)
	if tm.Revision > 0 {
		word += " " + T(lang, "report.revision", tm.Revision)
	}
	return word
}

// WriteCountyWorkbook writes the county summary as an .xlsx form: the
// month's figures by township, then the year to date against the targets
// the county set.
func WriteCountyWorkbook(w io.Writer, c *County, lang string) error {
	f := &form{lang: lang, sheet: T(lang, "report.sheet.county"),
		title:  T(lang, "report.title.county", c.CountyName),
		left:   T(lang, "report.heading.unit", c.CountyName, c.County),
		right:  period(lang, c.Month),
		status: T(lang, "report.county.status", len(c.Rows)-len(c.Missing), len(c.Corrected), len(c.Missing), len(c.Late), c.Deadline.String()),
		cols:   c.Rows, total: c.Total}
	f.total.Name = T(lang, "report.total")
	for _, r := range c.Rows {
		f.statusRow = append(f.statusRow, c.StatusWord(lang, r.Code))
	}
	f.notes = []string{
		c.siteNote(lang),
		T(lang, "report.note.county_missing", len(c.Missing), c.names(lang, c.Missing)),
		T(lang, "report.note.county_late", len(c.Late), c.names(lang, c.Late)),
		T(lang, "report.note.county_stale", int(StaleAfter.Hours()/24), len(c.Stale), c.names(lang, c.Stale)),
	}
	f.notes = append(f.notes, c.correctionNotes(lang)...)
	return writeForms(w, f, c.yearForm(lang, f))
}

// correctionNotes list each corrected township's changed rows.
func (c *County) correctionNotes(lang string) []string {
	var out []string
	for _, code := range c.Corrected {
		tm := c.Townships[code]
		names := make([]string, len(tm.Changed))
		for i, id := range tm.Changed {
			names[i] = T(lang, "report.metric."+id)
		}
		out = append(out, T(lang, "report.note.county_corrected", assets.Name(code), tm.Revision, strings.Join(names, T(lang, "report.list_sep"))))
	}
	return out
}

// HasSubmitted reports whether a township sent its report for the month.
func (c *County) HasSubmitted(code string) bool { return c.Townships[code].Revision > 0 }

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

func (c *County) names(lang string, codes []string) string {
	if len(codes) == 0 {
		return T(lang, "report.note.none")
	}
	names := make([]string, len(codes))
	for i, code := range codes {
		names[i] = assets.Name(code)
	}
	return strings.Join(names, T(lang, "report.list_sep"))
}
