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
	Code   string `json:"code"`
	Name   string `json:"name"`
	Counts Counts `json:"counts"`
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
}

// noVillage is the row of persons whose village is not recorded.
const noVillage = ""

// Compute makes the month's figures from data as it stood at the month's
// end. Stocks (persons by status, risk levels, employment) are the state at
// the end; flows (tests, visits, violations...) count the events dated in
// the month. It is pure.
func Compute(d *rules.Data, m Month, th rules.Thresholds) *Monthly {
	rows := map[string]*Row{}
	for _, p := range d.Persons {
		r := rows[p.Village]
		if r == nil {
			r = &Row{Code: p.Village, Name: villageName(p.Village), Counts: Counts{}}
			rows[p.Village] = r
		}
		countPerson(r.Counts, p, m)
	}
	out := &Monthly{Township: d.Township, Month: m.String(), AsOf: m.End(), County: assets.CountyOf(d.Township),
		Staffing: rules.StaffingOf(d, &th), UsersPerStaff: th.UsersPerStaff, RehabPerStaff: th.RehabPerStaff}
	if t, ok := assets.Township(d.Township); ok {
		out.TownshipName = t.Name
	}
	out.Rows = sortedRows(rows)
	out.Total = Row{Code: d.Township, Name: out.TownshipName, Counts: Counts{}}
	for _, r := range out.Rows {
		out.Total.Counts.Add(r.Counts)
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

// countEvents counts the events dated in the month.
func countEvents(c Counts, p *rules.Person, m Month) {
	for _, t := range p.Tests {
		if !m.Contains(t.Date) {
			continue
		}
		switch t.Result {
		case "negative", "invalid":
			c["tests"]++
		case "positive":
			c["tests"]++
			c["tests_positive"]++
		case "refused", "absent":
			c["tests_refused"]++
		}
	}
	for _, v := range p.Visits {
		if m.Contains(v.Date) {
			c["visits_"+map[bool]string{true: "volunteer", false: "staff"}[v.VisitorKind == "volunteer"]]++
		}
	}
	for _, l := range p.Leaves {
		if m.Contains(l.Depart) {
			c["leaves"]++
		}
	}
	for _, v := range p.Violations {
		if m.Contains(v.Date) {
			c["violations"]++
		}
		if m.Contains(v.PoliceReported) {
			c["police_reports"]++
		}
	}
	for _, a := range p.Assistance {
		if m.Contains(a.Date) {
			c["assistance"]++
		}
	}
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
