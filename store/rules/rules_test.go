package rules

import (
	"encoding/json"
	"strings"
	"testing"
)

// maxDay is later than any date a roster holds: the roster as it stands.
const maxDay Day = 1 << 30

func d(s string) Day {
	day := ParseDay(s)
	if day == 0 {
		panic("bad test date " + s)
	}
	return day
}

// person is under an active 社区戒毒 measure started on start, with a staff
// member and a volunteer and the agreement signed on the start day, so that
// only what a test adds fires.
func person(start string) *Person {
	s := d(start)
	return &Person{ID: "p1", Name: "张三", Current: 0,
		Measures:    []Measure{{ID: "m1", Type: "detox", Status: "active", Received: s, ReportIn: s, Start: s, PlannedEnd: s.AddMonths(36)}},
		Assignments: []Assignment{{Role: "staff", Member: "s1"}, {Role: "volunteer", Member: "v1"}},
		Agreements:  []Day{s},
	}
}

// only keeps the alerts of one rule.
func only(as []Alert, rule string) []Alert {
	var out []Alert
	for _, a := range as {
		if a.Rule == rule {
			out = append(out, a)
		}
	}
	return out
}

// want checks that a rule fired once with a severity, or not at all (sev < 0).
func want(t *testing.T, as []Alert, rule string, sev Severity, fire bool) {
	t.Helper()
	got := only(as, rule)
	if !fire {
		if len(got) != 0 {
			t.Fatalf("%s fired: %+v", rule, got)
		}
		return
	}
	if len(got) != 1 || got[0].Severity != sev {
		t.Fatalf("%s: want one %s alert, got %+v", rule, sev, got)
	}
}

func defaults() *Thresholds { t := DefaultThresholds(); return &t }

// 戒毒条例第十四条: "应当自收到责令社区戒毒决定书之日起15日内…报到，无正当理由逾期不报到的，
// 视为拒绝接受社区戒毒" — the 15th day after receipt is still in time.
func TestReportInOverdueFrom16thDay(t *testing.T) {
	for _, tc := range []struct {
		today string
		rule  string
		sev   Severity
	}{
		{"2026-08-01", "report_in_due", DueSoon},
		{"2026-08-15", "report_in_due", DueSoon},
		{"2026-08-16", "report_in_due", DueSoon},
		{"2026-08-17", "report_in_overdue", Police},
		{"2026-09-30", "report_in_overdue", Police},
	} {
		t.Run(tc.today, func(t *testing.T) {
			p := &Person{ID: "p1", Current: 0, Measures: []Measure{{Type: "detox", Status: "pending", Received: d("2026-08-01")}},
				Assignments: []Assignment{{Role: "staff"}, {Role: "volunteer"}}}
			as := ForPerson(p, d(tc.today), defaults())
			if len(as) != 1 || as[0].Rule != tc.rule || as[0].Severity != tc.sev || as[0].Due != d("2026-08-16") {
				t.Fatalf("got %+v", as)
			}
		})
	}
}

func TestReportInDoneNoAlert(t *testing.T) {
	p := person("2026-08-05")
	p.Measures[0].Received = d("2026-08-01")
	want(t, ForPerson(p, d("2026-09-01"), defaults()), "report_in_overdue", 0, false)
}

// 戒毒条例第二十条: "逃避或者拒绝接受检测3次以上" — the third refusal makes a
// serious violation; the second only warns.
func TestRefusedTestsThreshold(t *testing.T) {
	refusals := []string{"2026-08-02", "2026-09-05", "2026-10-07"}
	for _, tc := range []struct {
		today string
		rule  string
		sev   Severity
	}{
		{"2026-09-04", "", 0},
		{"2026-09-05", "violation_warning", DueSoon},
		{"2026-10-06", "violation_warning", DueSoon},
		{"2026-10-07", "serious_violation", Police},
	} {
		t.Run(tc.today, func(t *testing.T) {
			p := person("2026-07-01")
			for i, r := range refusals {
				if i == 1 { // logged as a violation only
					p.Violations = append(p.Violations, Violation{Date: d(r), Kind: "evaded_test"})
					continue
				}
				p.Tests = append(p.Tests, Test{Date: d(r), Result: "refused"})
				// the same refusal also logged as a violation counts once
				p.Violations = append(p.Violations, Violation{Date: d(r), Kind: "refused_test"})
			}
			p.sortEvents()
			as := ForPerson(p, d(tc.today), defaults())
			want(t, as, "serious_violation", Police, tc.rule == "serious_violation")
			want(t, as, "violation_warning", DueSoon, tc.rule == "violation_warning")
		})
	}
}

func TestSeriousViolationExplanation(t *testing.T) {
	p := person("2026-07-01")
	for _, r := range []string{"2026-08-02", "2026-09-05", "2026-10-07"} {
		p.Tests = append(p.Tests, Test{Date: d(r), Result: "refused"})
	}
	a := only(ForPerson(p, d("2026-10-08"), defaults()), "serious_violation")[0]
	if got, w := a.Explain("zh"), "3 次拒绝或逃避检测：2026年8月2日、2026年9月5日、2026年10月7日"; !strings.HasPrefix(got, w) {
		t.Errorf("zh: %q, want prefix %q", got, w)
	}
	if got, w := a.Explain("en"), "3 refused or evaded tests: 2026-08-02, 2026-09-05, 2026-10-07"; !strings.HasPrefix(got, w) {
		t.Errorf("en: %q, want prefix %q", got, w)
	}
	if a.Due != d("2026-10-07") {
		t.Errorf("due %s", a.Due)
	}
	b, err := json.Marshal(a)
	if err != nil || !strings.Contains(string(b), `"severity":"police"`) || !strings.Contains(string(b), `"2026-09-05"`) {
		t.Errorf("json %s %v", b, err)
	}
}

func TestSeriousViolationReportedToPolice(t *testing.T) {
	p := person("2026-07-01")
	for _, r := range []string{"2026-08-02", "2026-09-05", "2026-10-07"} {
		p.Tests = append(p.Tests, Test{Date: d(r), Result: "refused"})
	}
	p.Violations = []Violation{{Date: d("2026-10-07"), Kind: "refused_test", PoliceReported: d("2026-10-06")}}
	want(t, ForPerson(p, d("2026-10-08"), defaults()), "serious_violation", Police, true) // reported before the third
	p.Violations[0].PoliceReported = d("2026-10-07")
	want(t, ForPerson(p, d("2026-10-08"), defaults()), "serious_violation", Police, false)
}

func TestRefusalsBeforeMeasureDoNotCount(t *testing.T) {
	p := person("2026-08-03")
	for _, r := range []string{"2026-08-02", "2026-09-05", "2026-10-07"} {
		p.Tests = append(p.Tests, Test{Date: d(r), Result: "refused"})
	}
	as := ForPerson(p, d("2026-10-08"), defaults())
	want(t, as, "serious_violation", Police, false)
	want(t, as, "violation_warning", DueSoon, true)
}

// "擅自离开社区戒毒执行地所在县（市、区）3次以上" — three departures.
func TestDeparturesThreshold(t *testing.T) {
	for n, sev := range map[int]Severity{1: -1, 2: DueSoon, 3: Police, 4: Police} {
		p := person("2026-01-01")
		for i := range n {
			p.Violations = append(p.Violations, Violation{Date: d("2026-02-01").AddDays(i * 10), Kind: "departure", Days: 1})
		}
		as := ForPerson(p, d("2026-06-01"), defaults())
		want(t, as, "serious_violation", Police, sev == Police)
		want(t, as, "violation_warning", DueSoon, sev == DueSoon)
	}
}

// "累计超过30日" — 30 days in total is not yet a serious violation, 31 is.
func TestAbsenceOver30Days(t *testing.T) {
	for _, tc := range []struct {
		days   []int
		police bool
		warn   bool
	}{
		{[]int{19}, false, false},
		{[]int{20}, false, true},
		{[]int{10, 20}, false, true},
		{[]int{10, 21}, true, false},
		{[]int{31}, true, false},
	} {
		p := person("2026-01-01")
		for i, n := range tc.days {
			p.Violations = append(p.Violations, Violation{Date: d("2026-02-01").AddDays(i * 40), Kind: "departure", Days: n})
		}
		as := ForPerson(p, d("2026-06-01"), defaults())
		pol := only(as, "serious_violation")
		if (len(pol) == 1) != tc.police {
			t.Errorf("%v: police %+v", tc.days, pol)
		}
		warn := 0
		for _, a := range only(as, "violation_warning") {
			if a.Key == "rules.violation_warning.absence" {
				warn++
			}
		}
		if (warn == 1) != tc.warn {
			t.Errorf("%v: warn %+v", tc.days, as)
		}
		if tc.police && pol[0].Key != "rules.serious_violation.absence" {
			t.Errorf("%v: key %s", tc.days, pol[0].Key)
		}
	}
}

// 禁毒法第三十五条: "在社区戒毒期间又吸食、注射毒品的" — a positive test must go
// to the police, until a violation records the report.
func TestPositiveTest(t *testing.T) {
	p := person("2026-01-01")
	p.Tests = []Test{{Date: d("2026-03-10"), Result: "positive"}}
	want(t, ForPerson(p, d("2026-03-09"), defaults()), "positive_test", Police, false)
	want(t, ForPerson(p, d("2026-03-10"), defaults()), "positive_test", Police, true)
	p.Violations = []Violation{{Date: d("2026-03-10"), Kind: "positive_test"}}
	want(t, ForPerson(p, d("2026-03-11"), defaults()), "positive_test", Police, true)
	p.Violations[0].PoliceReported = d("2026-03-11")
	want(t, ForPerson(p, d("2026-03-12"), defaults()), "positive_test", Police, false)
}

func TestMeasureEnding(t *testing.T) {
	end := d("2029-01-01")
	for _, tc := range []struct {
		left int
		rule string
		sev  Severity
	}{
		{31, "", 0}, {30, "measure_ending", Info}, {8, "measure_ending", Info},
		{7, "measure_ending", DueSoon}, {0, "measure_ending", DueSoon}, {-1, "completion_overdue", Overdue},
	} {
		p := person("2026-01-01")
		p.Measures[0].PlannedEnd = end
		today := end.AddDays(-tc.left)
		p.Tests = []Test{{Date: today, Result: "negative"}}
		p.Visits = []Visit{{Date: today}}
		p.Risks = []RiskAssessment{{Date: today}}
		as := ForPerson(p, today, defaults())
		want(t, as, "measure_ending", tc.sev, tc.rule == "measure_ending")
		want(t, as, "completion_overdue", Overdue, tc.rule == "completion_overdue")
	}
}

func TestTestSchedule(t *testing.T) {
	for _, tc := range []struct {
		name, start, last, today string
		rehab                    bool
		sev                      Severity // -1 none
	}{
		{"year 1 monthly: 8 days before due", "2026-01-01", "2026-01-15", "2026-02-07", false, -1},
		{"year 1 monthly: 7 days before due", "2026-01-01", "2026-01-15", "2026-02-08", false, DueSoon},
		{"year 1 monthly: due day", "2026-01-01", "2026-01-15", "2026-02-15", false, DueSoon},
		{"year 1 monthly: day after due", "2026-01-01", "2026-01-15", "2026-02-16", false, Overdue},
		{"year 2 every 2 months: due day", "2025-01-10", "2026-03-01", "2026-05-01", false, DueSoon},
		{"year 2 every 2 months: day after", "2025-01-10", "2026-03-01", "2026-05-02", false, Overdue},
		{"year 3 every 3 months: due day", "2024-01-10", "2026-03-01", "2026-06-01", false, DueSoon},
		{"year 3 every 3 months: day after", "2024-01-10", "2026-03-01", "2026-06-02", false, Overdue},
		{"rehab every 2 months: day after", "2026-01-01", "2026-03-31", "2026-06-01", true, Overdue},
		{"rehab every 2 months: due day (clamped to May 31)", "2026-01-01", "2026-03-31", "2026-05-31", true, DueSoon},
		{"no test yet: a month after start", "2026-01-31", "", "2026-03-01", false, Overdue},
		{"no test yet: due day (Feb 28)", "2026-01-31", "", "2026-02-28", false, DueSoon},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := person(tc.start)
			if tc.rehab {
				p.Measures[0].Type = "rehab"
				p.Measures[0].PlannedEnd = d(tc.start).AddMonths(36)
			}
			if tc.last != "" {
				p.Tests = []Test{{Date: d(tc.last), Result: "negative"}}
			}
			got := only(ForPerson(p, d(tc.today), defaults()), "test_due")
			if tc.sev < 0 {
				if len(got) != 0 {
					t.Fatalf("fired: %+v", got)
				}
				return
			}
			if len(got) != 1 || got[0].Severity != tc.sev {
				t.Fatalf("want %s, got %+v", tc.sev, got)
			}
		})
	}
}

func TestRefusedTestDoesNotSatisfySchedule(t *testing.T) {
	p := person("2026-01-01")
	p.Tests = []Test{{Date: d("2026-01-20"), Result: "negative"}, {Date: d("2026-02-19"), Result: "refused"}}
	got := only(ForPerson(p, d("2026-02-21"), defaults()), "test_due")
	if len(got) != 1 || got[0].Severity != Overdue || got[0].Due != d("2026-02-20") {
		t.Fatalf("got %+v", got)
	}
}

func TestVisitSchedule(t *testing.T) {
	p := person("2026-01-01")
	p.Visits = []Visit{{Date: d("2026-09-30"), VisitorKind: "volunteer"}}
	p.Tests = []Test{{Date: d("2026-10-30"), Result: "negative"}}
	p.Risks = []RiskAssessment{{Date: d("2026-10-30")}}
	want(t, ForPerson(p, d("2026-10-22"), defaults()), "visit_due", 0, false)
	want(t, ForPerson(p, d("2026-10-23"), defaults()), "visit_due", DueSoon, true)
	want(t, ForPerson(p, d("2026-10-30"), defaults()), "visit_due", DueSoon, true)
	want(t, ForPerson(p, d("2026-10-31"), defaults()), "visit_due", Overdue, true)
}

func TestRiskSchedule(t *testing.T) {
	p := person("2026-01-01")
	p.Risks = []RiskAssessment{{Date: d("2026-03-01"), Level: "low"}}
	want(t, ForPerson(p, d("2026-08-24"), defaults()), "risk_due", 0, false)
	want(t, ForPerson(p, d("2026-09-01"), defaults()), "risk_due", DueSoon, true)
	want(t, ForPerson(p, d("2026-09-02"), defaults()), "risk_due", Overdue, true)
	// a violation after the assessment brings it forward to 7 days later
	p.Violations = []Violation{{Date: d("2026-05-10"), Kind: "other"}}
	got := only(ForPerson(p, d("2026-05-18"), defaults()), "risk_due")
	if len(got) != 1 || got[0].Severity != Overdue || got[0].Due != d("2026-05-17") {
		t.Fatalf("after violation: %+v", got)
	}
	if !strings.Contains(got[0].Explain("zh"), "违反协议 2026年5月10日") {
		t.Errorf("explain %q", got[0].Explain("zh"))
	}
	// an assessment the same day as the violation covers it
	p.Risks = append(p.Risks, RiskAssessment{Date: d("2026-05-10"), Level: "high"})
	want(t, ForPerson(p, d("2026-05-18"), defaults()), "risk_due", 0, false)
}

func TestUnassigned(t *testing.T) {
	p := person("2026-01-01")
	p.Assignments = []Assignment{{Role: "staff", End: d("2026-04-30")}, {Role: "volunteer", Start: d("2026-05-02")}}
	as := only(ForPerson(p, d("2026-05-01"), defaults()), "unassigned")
	if len(as) != 2 {
		t.Fatalf("got %+v", as)
	}
	as = only(ForPerson(p, d("2026-04-30"), defaults()), "unassigned")
	if len(as) != 1 || as[0].Key != "rules.unassigned.volunteer" {
		t.Fatalf("got %+v", as)
	}
	p.StaffField = "s1"
	p.Assignments = []Assignment{{Role: "volunteer"}}
	want(t, ForPerson(p, d("2026-05-01"), defaults()), "unassigned", 0, false)
}

func TestClosedMeasureNoAlerts(t *testing.T) {
	p := person("2020-01-01")
	p.Measures[0].Status = "completed"
	p.Tests = []Test{{Date: d("2021-01-01"), Result: "positive"}}
	if as := ForPerson(p, d("2026-05-01"), defaults()); len(as) != 0 {
		t.Fatalf("got %+v", as)
	}
}

func TestInsuranceExpiring(t *testing.T) {
	today := d("2026-11-01")
	for left, sev := range map[int]Severity{31: -1, 30: DueSoon, 0: DueSoon, -1: Overdue} {
		data := &Data{Volunteers: []Volunteer{{ID: "v1", Name: "李四", InsuranceExpiry: today.AddDays(left)}}, Staff: []Staff{{Role: "officer"}}}
		got := only(Evaluate(data, today, DefaultThresholds()), "insurance_expiring")
		if sev < 0 {
			if len(got) != 0 {
				t.Errorf("%d days left: %+v", left, got)
			}
			continue
		}
		if len(got) != 1 || got[0].Severity != sev || got[0].VolunteerID != "v1" {
			t.Errorf("%d days left: %+v", left, got)
		}
	}
}

// township builds n persons under active measures plus extra registered
// persons without one, and staff officers.
func township(under, extra, staff int) *Data {
	data := &Data{}
	for i := range under + extra {
		p := person("2026-01-01")
		if i >= under {
			p.Measures[0].Status = "completed"
		}
		p.Employment = "dispersed"
		data.Persons = append(data.Persons, p)
	}
	for range staff {
		data.Staff = append(data.Staff, Staff{Role: "officer"})
	}
	return data
}

// "按登记吸毒人员1:30或社区戒毒社区康复人员1:20的比例配备…至少1名".
func TestStaffingShortfall(t *testing.T) {
	for _, tc := range []struct {
		under, extra, staff int
		fire                bool
	}{
		{0, 0, 0, false},   // no roster yet (a new township): no false "0 staff"
		{5, 0, 0, false},   // persons imported, roster not yet filled in
		{0, 0, 1, false},   // one is enough
		{20, 10, 1, false}, // 30 users → 1, 20 under care → 1
		{21, 10, 1, true},  // 31 users → 2 and 21 under care → 2: neither ratio met
		{21, 40, 2, false}, // 61 users → 3; 21 under care → 2: either ratio met
		{41, 20, 2, true},  // 61 → 3, 41 → 3
		{41, 20, 3, false},
	} {
		got := only(Evaluate(township(tc.under, tc.extra, tc.staff), d("2026-02-01"), DefaultThresholds()), "staffing_shortfall")
		if (len(got) == 1) != tc.fire {
			t.Errorf("%+v: %+v %+v", tc, got, StaffingOn(township(tc.under, tc.extra, tc.staff), defaults(), maxDay))
		}
	}
}

// TestEmptyRosterIsFlaggedAfterTheGrace: a township whose persons were
// first entered 30 days ago (the default grace) and whose roster is still
// empty gets one gentle reminder that names the staff page: not the day
// before, from that day on; never without persons, never with a grace of
// 0, and once anyone is on the roster the ratio rule takes over.
func TestEmptyRosterIsFlaggedAfterTheGrace(t *testing.T) {
	data := township(3, 1, 0)
	for i, p := range data.Persons {
		p.Registered = d("2026-01-01").AddDays(i * 5) // the earliest counts
	}
	th := DefaultThresholds()
	for _, tc := range []struct {
		day  string
		fire bool
	}{{"2026-01-30", false}, {"2026-01-31", true}, {"2026-02-01", true}, {"2027-01-01", true}} {
		got := only(Evaluate(data, d(tc.day), th), "staff_roster_empty")
		if !tc.fire {
			if len(got) != 0 {
				t.Errorf("%s, day %d of 30: %+v", tc.day, d(tc.day)-d("2026-01-01"), got)
			}
			continue
		}
		if len(got) != 1 || got[0].Severity != Info || got[0].Due != d("2026-01-31") || got[0].PersonID != "" {
			t.Fatalf("%s: %+v", tc.day, got)
		}
		if zh := got[0].Explain("zh"); tc.day == "2026-01-31" && zh != "自 2026年1月1日 录入首名人员已 30 天，专干名册仍为空：请在“专干名册”页登记本乡镇的禁毒专干和社工，配备比例据此核算" {
			t.Errorf("explained as %q", zh)
		}
	}
	if got := only(Evaluate(&Data{}, d("2027-01-01"), th), "staff_roster_empty"); len(got) != 0 {
		t.Errorf("a township with no persons is told to fill its roster: %+v", got)
	}
	th.RosterGraceDays = 0
	if got := only(Evaluate(data, d("2027-01-01"), th), "staff_roster_empty"); len(got) != 0 {
		t.Errorf("grace 0 (off) still flags the roster: %+v", got)
	}
	data.Staff = []Staff{{Role: "police"}}
	all := Evaluate(data, d("2027-01-01"), DefaultThresholds())
	if len(only(all, "staff_roster_empty")) != 0 || len(only(all, "staffing_shortfall")) != 1 {
		t.Errorf("with a roster of one police officer: %+v", all)
	}
}

// Once the roster holds anyone, a township with no full-time member on it
// is short: at least one per township.
func TestStaffingShortfallWithOnlyPoliceOnTheRoster(t *testing.T) {
	data := township(0, 0, 0)
	data.Staff = []Staff{{Role: "police"}}
	if got := only(Evaluate(data, d("2026-02-01"), DefaultThresholds()), "staffing_shortfall"); len(got) != 1 {
		t.Errorf("roster of one police officer: %+v", got)
	}
	data.Staff = append(data.Staff, Staff{Role: "officer", Left: d("2026-01-15")})
	if got := only(Evaluate(data, d("2026-02-01"), DefaultThresholds()), "staffing_shortfall"); len(got) != 1 {
		t.Errorf("the only officer left in January: %+v", got)
	}
}

// "就业安置率…不低于90%": 9 of 10 is on target, 8 of 10 is below; persons
// unable to work are left out of the rate.
func TestPlacementRate(t *testing.T) {
	for placedN, fire := range map[int]bool{10: false, 9: false, 8: true} {
		data := township(11, 0, 1)
		for i, p := range data.Persons {
			switch {
			case i == 10:
				p.Employment = "unable"
			case i >= placedN:
				p.Employment = "unemployed"
			}
		}
		got := only(Evaluate(data, d("2026-02-01"), DefaultThresholds()), "placement_rate")
		if (len(got) == 1) != fire {
			t.Errorf("%d placed: %+v", placedN, got)
		}
		if fire && got[0].Explain("zh") != "就业安置率 80.0%（8/10），低于目标 90%" {
			t.Errorf("explain %q", got[0].Explain("zh"))
		}
	}
}

func TestThresholdsFromSettings(t *testing.T) {
	p := person("2026-01-01")
	p.Tests = []Test{{Date: d("2026-02-01"), Result: "refused"}, {Date: d("2026-03-01"), Result: "refused"}}
	th := DefaultThresholds()
	want(t, ForPerson(p, d("2026-03-02"), &th), "serious_violation", Police, false)
	th.Set("refused_tests", 2)
	want(t, ForPerson(p, d("2026-03-02"), &th), "serious_violation", Police, true)
}

func TestEvaluateSortedAndMatchesForPerson(t *testing.T) {
	data := township(3, 0, 1)
	data.Persons[1].ID = "p2"
	data.Persons[1].Tests = []Test{{Date: d("2026-03-10"), Result: "positive"}}
	data.Persons[1].sortEvents()
	as := Evaluate(data, d("2026-04-01"), DefaultThresholds())
	if len(as) == 0 || as[0].Rule != "positive_test" || as[0].PersonID != "p2" {
		t.Fatalf("first alert %+v", as)
	}
	for i := 1; i < len(as); i++ {
		if as[i].Severity < as[i-1].Severity {
			t.Fatalf("not sorted at %d: %+v", i, as)
		}
	}
	n := 0
	for _, p := range data.Persons {
		n += len(ForPerson(p, d("2026-04-01"), defaults()))
	}
	if n != len(as) {
		t.Fatalf("ForPerson total %d, Evaluate %d", n, len(as))
	}
}

func TestEveryRuleHasTexts(t *testing.T) {
	for _, r := range All {
		for _, lang := range []string{"zh", "en"} {
			if k := "rules." + r.ID + ".title"; Text(lang, k) == k {
				t.Errorf("%s: no %s title", r.ID, lang)
			}
		}
		if r.Source == "" || r.Tag == "" {
			t.Errorf("%s: no source", r.ID)
		}
		for _, s := range r.Settings {
			if _, ok := defaults().Get(s); !ok {
				t.Errorf("%s: unknown setting %s", r.ID, s)
			}
		}
	}
}

// "登记吸毒人员1000名以上的县建立集中安置点，安置10人以上；3000名以上的建立安置基地，安置30人以上".
func TestSiteRequirement(t *testing.T) {
	for users, want := range map[int]int{999: 0, 1000: 10, 2999: 10, 3000: 30} {
		if got := SiteRequirement(users, defaults()); got != want {
			t.Errorf("%d users: %d, want %d", users, got, want)
		}
	}
}

// Members who left, or police and doctors of working groups, are not on the
// roster the ratio counts.
func TestStaffingCountsTheRosterOnTheDay(t *testing.T) {
	data := township(41, 0, 0)
	data.Staff = []Staff{{Role: "officer"}, {Role: "police"}, {Role: "social_worker", Left: d("2026-03-01")}, {Role: "officer", Start: d("2026-05-01")}}
	th := defaults()
	for _, tc := range []struct {
		day  string
		want int
	}{{"2026-02-01", 2}, {"2026-04-01", 1}, {"2026-06-01", 2}} {
		if got := StaffingOn(data, th, d(tc.day)).Staff; got != tc.want {
			t.Errorf("%s: %d staff on roster, want %d", tc.day, got, tc.want)
		}
	}
	if got := len(only(Evaluate(data, d("2026-04-01"), *th), "staffing_shortfall")); got != 1 {
		t.Errorf("41 under care and one officer on 2026-04-01: %d shortfall alerts, want 1", got)
	}
}

// A person in 强制隔离戒毒 or 自愿戒毒 is on file without community duties:
// no test, visit, reassessment or assignment alerts, and not counted under
// care; 务农, 外出务工 and 灵活就业 count as placed.
func TestOnlyCommunityMeasuresBringDutiesAndEmployedKindsArePlaced(t *testing.T) {
	for _, typ := range []string{"compulsory", "voluntary"} {
		p := &Person{ID: "p", Current: 0, Measures: []Measure{{Type: typ, Status: "active", Start: d("2025-01-01")}}}
		if got := ForPerson(p, d("2026-12-07"), defaults()); len(got) != 0 {
			t.Errorf("%s: %d alerts, want none: %+v", typ, len(got), got)
		}
		data := &Data{Persons: []*Person{p}}
		if s := StaffingOn(data, defaults(), maxDay); s.UnderCare != 0 {
			t.Errorf("%s counted under care", typ)
		}
	}
	for _, emp := range []string{"farming", "migrant", "flexible"} {
		if !Placed(emp) {
			t.Errorf("%s not counted as placed", emp)
		}
	}
	if Placed("unemployed") {
		t.Error("未就业 counted as placed")
	}
}

// Before the adoption baseline the history is unknown, not overdue: tests,
// visits and reassessments fall due from the baseline; a positive test, a
// report-in overdue and a measure past its end still alert.
func TestBaselineDefersPeriodicDutiesNotLegalOnes(t *testing.T) {
	th := defaults()
	th.Baseline = d("2026-12-01")
	today := d("2026-12-07")
	p := &Person{ID: "p", Current: 0, Measures: []Measure{{Type: "detox", Status: "active", Start: d("2024-01-01"), PlannedEnd: d("2026-12-31")}},
		Tests: []Test{{Date: d("2024-06-01"), Result: "positive"}}}
	got := map[string]Severity{}
	for _, a := range ForPerson(p, today, th) {
		got[a.Rule] = a.Severity
	}
	if _, ok := got["positive_test"]; !ok {
		t.Error("a positive test before the baseline no longer alerts")
	}
	for _, r := range []string{"test_due", "visit_due", "risk_due"} {
		if sev, ok := got[r]; ok && sev <= Overdue {
			t.Errorf("%s overdue although the baseline is 6 days ago", r)
		}
	}
	pending := &Person{ID: "q", Current: 0, Measures: []Measure{{Type: "detox", Status: "pending", Received: d("2026-11-01")}}}
	if len(only(ForPerson(pending, today, th), "report_in_overdue")) != 1 {
		t.Error("report-in overdue silenced by the baseline")
	}
	ended := &Person{ID: "r", Current: 0, Measures: []Measure{{Type: "rehab", Status: "active", Start: d("2023-01-01"), PlannedEnd: d("2025-12-31")}}}
	if len(only(ForPerson(ended, today, th), "completion_overdue")) != 1 {
		t.Error("a measure past its end silenced by the baseline")
	}
}

// Staff count in the staffing ratio from their start to the day before they
// left, full-time roles (专干, 社工) only.
func TestOnRosterCountsFullTimeStaffBetweenStartAndLeaving(t *testing.T) {
	for _, tc := range []struct {
		s    Staff
		want bool
	}{
		{Staff{Role: "officer"}, true},
		{Staff{Role: "social_worker", Start: d("2026-01-01")}, true},
		{Staff{Role: "police"}, false},
		{Staff{Role: "officer", Start: d("2026-07-01")}, false},
		{Staff{Role: "officer", Left: d("2026-06-30")}, true},
		{Staff{Role: "officer", Left: d("2026-06-15")}, false},
	} {
		if got := tc.s.OnRoster(d("2026-06-15")); got != tc.want {
			t.Errorf("%+v: on roster %v, want %v", tc.s, got, tc.want)
		}
	}
}
