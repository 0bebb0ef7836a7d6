package rules

import (
	"strconv"
	"strings"

	"rehabdesk/store"
)

// SettingPrefix starts the key of every threshold stored as a setting
// record, so thresholds sync to every device of the township like any other
// record: "rules.report_in_days" = "15".
const SettingPrefix = "rules."

// Thresholds are the numbers the rules compare against. Localities differ,
// so every one is a setting; the zero value is not meaningful, start from
// DefaultThresholds.
type Thresholds struct {
	ReportInDays       int // 戒毒条例 arts. 14, 38: report within 15 days of receiving the decision
	RefusedTests       int // ≥ this many refused/evaded tests is a serious violation (3)
	RefusedTestsWarn   int // warn from this many (2)
	Departures         int // ≥ this many unauthorised departures (3)
	DeparturesWarn     int // warn from this many (2)
	AbsenceDays        int // more than this many days away in total (30)
	AbsenceDaysWarn    int // warn from this many days (20)
	EndSoonDays        int // measure ends within this many days: info (30)
	EndUrgentDays      int // ... within this many: due soon (7)
	DetoxTestMonthsY1  int // 社区戒毒 test interval in year 1, months (1)
	DetoxTestMonthsY2  int // year 2 (2)
	DetoxTestMonthsY3  int // year 3 (3)
	RehabTestMonths    int // 社区康复 test interval (2)
	VisitMonths        int // visit interval (1)
	RiskMonths         int // risk reassessment interval (6)
	RiskAfterEventDays int // reassess within this many days of a positive test or violation (7)
	DueSoonDays        int // a test/visit/assessment is "due soon" this many days ahead (7)
	InsuranceDays      int // volunteer insurance expiring within this many days (30)
	UsersPerStaff      int // one staff per this many registered drug users (30)
	RehabPerStaff      int // or one per this many persons under measures (20)
	MinStaff           int // and at least this many per township (1)
	RosterGraceDays    int // days after the first person is entered before an empty staff roster is flagged (30)
	PlacementPercent   int // employment placement target, percent (90)
	SiteUsers          int // a county with this many registered users needs a 集中安置 site (1000)
	SitePlaced         int // ... placing at least this many (10)
	BaseUsers          int // with this many, a placement base (3000)
	BasePlaced         int // ... placing at least this many (30)
	ReportDeadlineDay  int // a month's report closes on this day of the next month (5)
	AgreementDays      int // 戒毒条例 art. 16: sign the agreement "及时" after report-in, days (7)

	// Baseline is the day the township started with RehabDesk (开始使用日期),
	// 0 when not set: periodic duties fall due from the later of the
	// measure's start and this day, since what happened before it is
	// unknown, not overdue. Legal duties are not affected.
	Baseline Day
}

// BaselineKey is the setting record of the adoption baseline, a date.
const BaselineKey = "adoption.start_date"

// Threshold describes one setting: its name after the prefix, its default,
// its source tag ([L] law, [S] seed document, [P] local practice, [I] ours).
type Threshold struct {
	Name    string
	Default int
	Tag     string
	field   func(*Thresholds) *int
}

// ThresholdDefs lists every threshold with the defaults of DOMAIN.md.
var ThresholdDefs = []Threshold{
	{"report_in_days", 15, "L", func(t *Thresholds) *int { return &t.ReportInDays }},
	{"refused_tests", 3, "L", func(t *Thresholds) *int { return &t.RefusedTests }},
	{"refused_tests_warn", 2, "I", func(t *Thresholds) *int { return &t.RefusedTestsWarn }},
	{"departures", 3, "L", func(t *Thresholds) *int { return &t.Departures }},
	{"departures_warn", 2, "I", func(t *Thresholds) *int { return &t.DeparturesWarn }},
	{"absence_days", 30, "L", func(t *Thresholds) *int { return &t.AbsenceDays }},
	{"absence_days_warn", 20, "I", func(t *Thresholds) *int { return &t.AbsenceDaysWarn }},
	{"end_soon_days", 30, "L", func(t *Thresholds) *int { return &t.EndSoonDays }},
	{"end_urgent_days", 7, "L", func(t *Thresholds) *int { return &t.EndUrgentDays }},
	{"detox_test_months_y1", 1, "P", func(t *Thresholds) *int { return &t.DetoxTestMonthsY1 }},
	{"detox_test_months_y2", 2, "P", func(t *Thresholds) *int { return &t.DetoxTestMonthsY2 }},
	{"detox_test_months_y3", 3, "P", func(t *Thresholds) *int { return &t.DetoxTestMonthsY3 }},
	{"rehab_test_months", 2, "P", func(t *Thresholds) *int { return &t.RehabTestMonths }},
	{"visit_months", 1, "P", func(t *Thresholds) *int { return &t.VisitMonths }},
	{"risk_months", 6, "P", func(t *Thresholds) *int { return &t.RiskMonths }},
	{"risk_after_event_days", 7, "I", func(t *Thresholds) *int { return &t.RiskAfterEventDays }},
	{"due_soon_days", 7, "I", func(t *Thresholds) *int { return &t.DueSoonDays }},
	{"insurance_days", 30, "P", func(t *Thresholds) *int { return &t.InsuranceDays }},
	{"users_per_staff", 30, "S", func(t *Thresholds) *int { return &t.UsersPerStaff }},
	{"rehab_per_staff", 20, "S", func(t *Thresholds) *int { return &t.RehabPerStaff }},
	{"min_staff", 1, "S", func(t *Thresholds) *int { return &t.MinStaff }},
	{"staff_roster_grace_days", 30, "I", func(t *Thresholds) *int { return &t.RosterGraceDays }},
	{"placement_percent", 90, "S", func(t *Thresholds) *int { return &t.PlacementPercent }},
	{"site_users", 1000, "S", func(t *Thresholds) *int { return &t.SiteUsers }},
	{"site_placed", 10, "S", func(t *Thresholds) *int { return &t.SitePlaced }},
	{"base_users", 3000, "S", func(t *Thresholds) *int { return &t.BaseUsers }},
	{"base_placed", 30, "S", func(t *Thresholds) *int { return &t.BasePlaced }},
	{"report_deadline_day", 5, "P", func(t *Thresholds) *int { return &t.ReportDeadlineDay }},
	{"agreement_days", 7, "P", func(t *Thresholds) *int { return &t.AgreementDays }},
}

// DefaultThresholds are the DOMAIN.md defaults.
func DefaultThresholds() Thresholds {
	var t Thresholds
	for _, d := range ThresholdDefs {
		*d.field(&t) = d.Default
	}
	return t
}

// ThresholdsFrom reads thresholds from setting records ("rules.<name>"),
// keeping the default for any that is absent or not a usable number: a
// mistyped setting must not silence a legal alert.
func ThresholdsFrom(settings []*store.Record) Thresholds {
	t := DefaultThresholds()
	for _, r := range settings {
		if r.Get("key") == BaselineKey {
			t.Baseline = ParseDay(strings.TrimSpace(r.Get("value")))
			continue
		}
		name, ok := strings.CutPrefix(r.Get("key"), SettingPrefix)
		if !ok {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(r.Get("value")))
		if err != nil || n < 0 {
			continue
		}
		t.Set(name, n)
	}
	return t
}

// Set changes one threshold by name; it reports false for an unknown name.
func (t *Thresholds) Set(name string, v int) bool {
	for _, d := range ThresholdDefs {
		if d.Name == name {
			*d.field(t) = v
			return true
		}
	}
	return false
}

// Get returns one threshold by name.
func (t *Thresholds) Get(name string) (int, bool) {
	for _, d := range ThresholdDefs {
		if d.Name == name {
			return *d.field(t), true
		}
	}
	return 0, false
}
