package report

import (
	"html/template"
	"io"
	"time"

	"rehabdesk/store/rules"
)

// CountyPage is the county as the county office's workbench shows it
// (countyd serve), in the sections WriteCountySection renders.
type CountyPage struct {
	Lang      string
	County    *County
	Months    []string // months with at least one submission, newest first
	Townships []TownshipStatus
	Police    []PoliceAlert
	Generated time.Time
}

// Unreadable reports whether a township's submission for the month came
// but could not be read.
func (p *CountyPage) Unreadable(code string) bool {
	for _, t := range p.Townships {
		if t.Code == code {
			return t.Unreadable
		}
	}
	return false
}

// TownshipStatus is one township's line on the page.
type TownshipStatus struct {
	Code, Name string
	Devices    int
	LastSync   time.Time
	Stale      bool
	Submitted  time.Time // zero: no report for the month
	Unreadable bool      // a submission came that could not be read; not counted
	Status     string    // the month's status in words: 已报送 第1版, 更正 第2版, 逾期未报...
	Flag       string    // "late", "corrected" or "" : how the line is marked
}

// PoliceAlert is an alert that must go to the police, for the county's
// oversight: who, which township, why and since when.
type PoliceAlert struct {
	Township, Person, IDMasked, Title, Explanation string
	Due                                            string
}

// pageMetrics are the county totals the page shows, in order.
var pageMetrics = []string{"persons", "in_measure", "new_detox", "new_rehab", "report_in_rate", "agreements", "completed",
	"lost_contact", "tests", "test_rate", "tests_positive", "police_reports", "placement_rate", "staff", "staff_required"}

// CountySections are the parts of the page, in order, that
// WriteCountySection renders alone: the title with the month's links, the
// townships' sync and report status, the county totals, the year against
// its targets, and the alerts that must go to the police.
var CountySections = []string{"head", "townships", "totals", "year", "police"}

// WriteCountySection renders one part of the page (CountySections), for a
// page of the county's workbench that shows it among its own.
func WriteCountySection(w io.Writer, section string, p *CountyPage) error {
	return pageTemplate.ExecuteTemplate(w, "county."+section, p)
}

var pageTemplate = template.Must(template.New("county").Funcs(template.FuncMap{
	"t":       func(lang, key string, args ...any) string { return T(lang, key, args...) },
	"metrics": func() []string { return pageMetrics },
	"count": func(c Counts, id string) any {
		d, _ := DefOf(id)
		return d.Value(c)
	},
	"verdict": func(lang, v string) string {
		if v == "" {
			return ""
		}
		return T(lang, "report.year.verdict."+v)
	},
	"day": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.In(rules.ChinaTime).Format("2006-01-02 15:04")
	},
}).Parse(`{{define "county.head"}}<h1>{{t .Lang "report.web.title" .County.CountyName}}</h1>
<p>{{t .Lang "report.web.period" .County.Month}} · {{t .Lang "report.web.generated" (day .Generated)}}</p>
{{if .Months}}<nav>{{range .Months}}<a href="?month={{.}}">{{.}}</a>{{end}}</nav>{{end}}

{{end}}
{{define "county.townships"}}<h2>{{t .Lang "report.web.townships"}}</h2>
<table id="townships">
<tr><th>{{t .Lang "report.col.township"}}</th><th>{{t .Lang "report.web.code"}}</th><th>{{t .Lang "report.web.devices"}}</th><th>{{t .Lang "report.metric.last_sync"}}</th><th>{{t .Lang "report.row.status"}}</th><th>{{t .Lang "report.web.submitted"}}</th></tr>
{{range .Townships}}<tr>
<td class="name">{{.Name}}</td><td>{{.Code}}</td><td>{{.Devices}}</td>
<td{{if .Stale}} class="stale"{{end}}>{{day .LastSync}}{{if .Stale}} ({{t $.Lang "report.web.stale"}}){{end}}</td>
<td class="status{{if .Unreadable}} missing{{else if .Flag}} {{.Flag}}{{end}}">{{if .Unreadable}}{{t $.Lang "report.web.unreadable"}}{{else}}{{.Status}}{{end}}</td>
<td>{{if .Submitted.IsZero}}—{{else}}{{day .Submitted}}{{end}}</td>
</tr>{{end}}
</table>

{{end}}
{{define "county.totals"}}<h2>{{t .Lang "report.web.totals"}}</h2>
<table id="totals">
<tr><th>{{t .Lang "report.col.township"}}</th>{{range metrics}}<th>{{t $.Lang (printf "report.metric.%s" .)}}</th>{{end}}</tr>
{{range .County.Rows}}{{$r := .}}<tr><td class="name">{{.Name}}</td>{{if $.County.HasSubmitted .Code}}{{range metrics}}<td>{{count $r.Counts .}}</td>{{end}}{{else}}<td class="missing" colspan="{{len metrics}}">{{if $.Unreadable .Code}}{{t $.Lang "report.web.unreadable"}}{{else}}{{$.County.StatusWord $.Lang .Code}}{{end}}</td>{{end}}</tr>
{{end}}<tr><th>{{t .Lang "report.total"}}</th>{{range metrics}}<th>{{count $.County.Total.Counts .}}</th>{{end}}</tr>
</table>

{{end}}
{{define "county.year"}}<h2>{{t .Lang "report.web.year"}}</h2>
{{with .County.Year}}<p>{{t $.Lang "report.year.period" .Year .MonthNumber .Months}}</p>
<table id="year">
<tr><th>{{t $.Lang "report.year.col.target"}}</th><th>{{t $.Lang "report.year.col.actual"}}</th><th>{{t $.Lang "report.year.col.goal"}}</th><th>{{t $.Lang "report.year.col.verdict"}}</th></tr>
{{range .Lines}}<tr><td class="name">{{t $.Lang (printf "report.year.target.%s" .Name)}}</td><td>{{.Actual}}</td><td>{{.Target}}</td><td>{{verdict $.Lang .Verdict}}</td></tr>
{{end}}</table>
{{if not .Targets}}<p>{{t $.Lang "report.year.note.no_targets" .Year}}</p>{{end}}{{end}}

{{end}}
{{define "county.police"}}<h2>{{t .Lang "report.web.police"}} ({{len .Police}})</h2>
{{if .Police}}<table id="police">
<tr><th>{{t .Lang "report.col.township"}}</th><th>{{t .Lang "report.web.person"}}</th><th>{{t .Lang "report.web.rule"}}</th><th>{{t .Lang "report.web.why"}}</th><th>{{t .Lang "report.web.since"}}</th></tr>
{{range .Police}}<tr><td>{{.Township}}</td><td class="name">{{.Person}} {{.IDMasked}}</td><td>{{.Title}}</td><td class="name">{{.Explanation}}</td><td>{{.Due}}</td></tr>
{{end}}</table>{{else}}<p>{{t .Lang "report.note.none"}}</p>{{end}}
{{end}}
`))
