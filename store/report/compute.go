package report

import (
	"sort"
	"time"

	"rehabdesk/assets"
	"rehabdesk/store/rules"
)

// Row is one line of the report: a village (or, in the county workbook, a
// township) and its figures.
type Row struct {
	Code   string   `json:"code"`
	Name   string   `json:"name"`
	Counts Counts   `json:"counts"`
	Year   *YearRow `json:"year,omitempty"` // nil: not known (a submission without it)
}

// Monthly is one township's report for one month.
type Monthly struct {
	Township      string         `json:"township"`
	TownshipName  string         `json:"township_name"`
	County        string         `json:"county"`
	Month         string         `json:"month"`
	AsOf          time.Time      `json:"as_of"`
	Rows          []Row          `json:"rows"`
	Total         Row            `json:"total"`
	Staffing      rules.Staffing `json:"staffing"`
	UsersPerStaff int            `json:"users_per_staff"`
	RehabPerStaff int            `json:"rehab_per_staff"`
	// Police are the yearly police statistics entered as settings, shown
	// beside the proxies of the yearly targets; not submitted to the county.
	Police rules.PoliceFigures `json:"police,omitempty"`
}

// noVillage is the row of persons whose village is not recorded.
const noVillage = ""

// Compute makes the month's figures from data as it stood at the month's
// end. Stocks (persons by status, risk levels, employment) are the state at
// the end; flows (tests, visits, violations...) count the events dated in
// the month, plus events of earlier months first recorded in this one
// (also counted as late_events). The yearly targets are counted for the
// year to date against the same months a year before. It is pure.
func Compute(d *rules.Data, m Month, th rules.Thresholds) *Monthly {
	rows := map[string]*Row{}
	year := rules.YearToDate(m.Last())
	for _, p := range d.Persons {
		r := rows[p.Village]
		if r == nil {
			r = &Row{Code: p.Village, Name: villageName(p.Village), Counts: Counts{}, Year: newYearRow(th)}
			rows[p.Village] = r
		}
		countPerson(r.Counts, p, m)
		rules.CountYear(&r.Year.YearFigures, p, year)
	}
	out := &Monthly{Township: d.Township, Month: m.String(), AsOf: m.End(), County: assets.CountyOf(d.Township),
		Staffing: rules.StaffingOn(d, &th, m.Last()), UsersPerStaff: th.UsersPerStaff, RehabPerStaff: th.RehabPerStaff}
	if t, ok := assets.Township(d.Township); ok {
		out.TownshipName = t.Name
	}
	out.Rows = sortedRows(rows)
	out.Total = Row{Code: d.Township, Name: out.TownshipName, Counts: Counts{}, Year: newYearRow(th)}
	for _, r := range out.Rows {
		out.Total.Counts.Add(r.Counts)
		out.Total.Year.Add(r.Year.YearFigures)
	}
	return out
}

func villageName(code string) string {
	if v, ok := assets.Village(code); ok {
		return v.Name
	}
	return code
}

// sortedRows orders villages by code, the unrecorded village last.
func sortedRows(rows map[string]*Row) []Row {
	out := make([]Row, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Code, out[j].Code
		if (a == noVillage) != (b == noVillage) {
			return b == noVillage
		}
		return a < b
	})
	return out
}

// statusColumn maps a measure status to its column suffix.
func statusColumn(status string) string {
	switch status {
	case "active", "pending", "suspended", "completed":
		return status
	}
	return "other"
}

func countPerson(c Counts, p *rules.Person, m Month) {
	c["persons"]++
	if m.Contains(p.Registered) {
		c["new_persons"]++
	}
	cur := p.CurrentMeasure()
	if cur != nil && (cur.Type == "detox" || cur.Type == "rehab") {
		c[cur.Type+"_"+statusColumn(cur.Status)]++
	}
	for _, ms := range p.Measures {
		if m.Contains(ms.ReportIn) {
			c["report_ins"]++
		}
	}
	countEvents(c, p, m)
	if cur != nil && (cur.Status == "active" || cur.Status == "suspended") {
		countInCommunity(c, p)
	}
}

// counts decides whether an event counts in the month: by its date, or, for
// an event dated before the month but first recorded in it (补录), in the
// month it was recorded, so that a late entry is counted once rather than
// falling into a month already reported. late tells which.
func counts(m Month, date, recorded rules.Day) (in, late bool) {
	if m.Contains(date) {
		return true, false
	}
	late = date != 0 && date < m.First() && m.Contains(recorded)
	return late, late
}

// countEvents counts the events of the month, late entries included.
func countEvents(c Counts, p *rules.Person, m Month) {
	tally := func(date, recorded rules.Day, metrics ...string) {
		in, late := counts(m, date, recorded)
		if !in {
			return
		}
		for _, id := range metrics {
			c[id]++
		}
		if late {
			c["late_events"]++
		}
	}
	for _, t := range p.Tests {
		tally(t.Date, t.Recorded, testMetrics[t.Result]...)
	}
	for _, v := range p.Visits {
		tally(v.Date, v.Recorded, "visits_"+map[bool]string{true: "volunteer", false: "staff"}[v.VisitorKind == "volunteer"])
	}
	for _, l := range p.Leaves {
		tally(l.Depart, l.Recorded, "leaves")
	}
	for _, v := range p.Violations {
		tally(v.Date, v.Recorded, "violations")
		if m.Contains(v.PoliceReported) {
			c["police_reports"]++
		}
	}
	for _, a := range p.Assistance {
		tally(a.Date, a.Recorded, "assistance")
	}
}

// testMetrics are the columns a test result adds to.
var testMetrics = map[string][]string{
	"negative": {"tests"}, "invalid": {"tests"}, "positive": {"tests", "tests_positive"},
	"refused": {"tests_refused"}, "absent": {"tests_refused"},
}

// countInCommunity counts the stocks among persons whose measure is being
// executed: risk level, methadone, employment.
func countInCommunity(c Counts, p *rules.Person) {
	switch p.Risk {
	case "high", "medium", "low":
		c["risk_"+p.Risk]++
	default:
		c["risk_none"]++
	}
	if p.Methadone {
		c["methadone"]++
	}
	switch p.Employment {
	case "central", "dispersed", "startup", "self", "public", "unemployed", "unable":
		c["emp_"+p.Employment]++
	default:
		c["emp_unknown"]++
	}
}
