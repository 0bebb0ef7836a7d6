package report

import "rehabdesk/store/rules"

// Metric is one column of the monthly report: a count per village.
type Metric struct {
	ID    string
	Group string // header group; columns of one group are merged under it
}

// Metrics are the report's columns in form order. IDs are stable: they key
// the counts in submitted reports (see submissionV1), so renaming one breaks
// county totals.
// Labels live in assets/translations/report ("report.metric.<id>",
// "report.group.<group>").
var Metrics = []Metric{
	{"persons", "registered"},
	{"detox_active", "detox"}, {"detox_pending", "detox"}, {"detox_suspended", "detox"},
	{"detox_completed", "detox"}, {"detox_other", "detox"},
	{"rehab_active", "rehab"}, {"rehab_pending", "rehab"}, {"rehab_suspended", "rehab"},
	{"rehab_completed", "rehab"}, {"rehab_other", "rehab"},
	{"new_persons", "month"}, {"report_ins", "month"}, {"late_events", "month"},
	{"tests", "tests"}, {"tests_positive", "tests"}, {"tests_refused", "tests"},
	{"visits_staff", "visits"}, {"visits_volunteer", "visits"},
	{"leaves", "leaves"},
	{"violations", "violations"}, {"police_reports", "violations"},
	{"risk_high", "risk"}, {"risk_medium", "risk"}, {"risk_low", "risk"}, {"risk_none", "risk"},
	{"methadone", "methadone"},
	{"emp_central", "employment"}, {"emp_dispersed", "employment"}, {"emp_startup", "employment"},
	{"emp_self", "employment"}, {"emp_public", "employment"}, {"emp_unemployed", "employment"},
	{"emp_unable", "employment"}, {"emp_unknown", "employment"},
	{"assistance", "assistance"},
}

// placedMetrics are the employment columns that count as placed.
var placedMetrics = []string{"emp_central", "emp_dispersed", "emp_startup", "emp_self", "emp_public"}

// Counts are one row's figures by metric ID.
type Counts map[string]int

// Add adds another row's figures.
func (c Counts) Add(o Counts) {
	for k, v := range o {
		c[k] += v
	}
}

// InCommunity is the persons whose measure is being executed, the base of
// the employment figures.
func (c Counts) InCommunity() int {
	n := 0
	for _, m := range Metrics {
		if m.Group == "employment" {
			n += c[m.ID]
		}
	}
	return n
}

// Placed is the persons placed in work.
func (c Counts) Placed() int {
	n := 0
	for _, id := range placedMetrics {
		n += c[id]
	}
	return n
}

// Able is the persons in the community able to work: the rate's base.
func (c Counts) Able() int { return c.InCommunity() - c["emp_unable"] }

// PlacementRate is Placed/Able as a percentage with one decimal, "-" when
// nobody is able to work.
func (c Counts) PlacementRate() string { return rules.Percent(c.Placed(), c.Able()) }
