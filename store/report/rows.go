package report

import "rehabdesk/store/rules"

// Kind says how a row of the report is counted.
type Kind int

// Row kinds. A flow counts events dated in the month by their own dates; a
// stock is taken on the month's last day by the same dates; a rate divides
// two other rows; a township row is counted once for the township, not per
// village.
const (
	Flow Kind = iota
	Stock
	Rate
	Township
)

// Def is one row a county counts: its ID (stable: it keys submissions, see
// submissionV2), its group, how it is counted, where the rule comes from,
// and the count itself. Labels and the definition as printed on the form
// are assets/translations/report: "report.metric.<id>", "report.def.<id>".
type Def struct {
	ID     string
	Group  string
	Kind   Kind
	Source string // [L] law, [S] the seed document, [P] local practice, [I] ours
	person func(*at) int
	rate   func(Counts) string
	town   func(*township) int
}

// at is one person seen from one month: the measure in force on its last
// day and that measure's state.
type at struct {
	p     *rules.Person
	h     *History // nil: counted by current values
	m     Month
	th    *rules.Thresholds
	ms    *rules.Measure
	state string
	in    bool   // in the register on the last day
	emp   string // employment on the last day (employmentOn)
}

// township is what the township-wide rows read.
type township struct {
	d        *rules.Data
	h        *History
	m        Month
	th       *rules.Thresholds
	staffing rules.Staffing
}

// Defs are the report's rows in form order.
var Defs = []Def{
	{ID: "persons", Group: "register", Kind: Stock, Source: "[I] 一人一档；导入人员自其措施开始计", person: func(a *at) int { return b(a.in) }},

	{ID: "new_detox", Group: "new", Kind: Flow, Source: "[L] 禁毒法 第33条", person: newDecisions("detox")},
	{ID: "new_rehab", Group: "new", Kind: Flow, Source: "[L] 禁毒法 第48条", person: newDecisions("rehab")},

	{ID: "report_due", Group: "report_in", Kind: Flow, Source: "[L] 戒毒条例 第14、38条", person: reportDue(false)},
	{ID: "report_due_met", Group: "report_in", Kind: Flow, Source: "[L] 戒毒条例 第14、38条", person: reportDue(true)},
	{ID: "report_in_rate", Group: "report_in", Kind: Rate, Source: "[P]", rate: ratio("report_due_met", "report_due")},
	{ID: "report_ins", Group: "report_in", Kind: Flow, Source: "[L] 戒毒条例 第14条", person: func(a *at) int {
		return countMeasures(a, func(m *rules.Measure) bool { return a.m.Contains(m.ReportIn) })
	}},

	{ID: "agreements", Group: "agreement", Kind: Flow, Source: "[L] 戒毒条例 第16条", person: func(a *at) int { return countDays(a.m, a.p.Agreements) }},

	{ID: "detox_active", Group: "measure", Kind: Stock, Source: "[L] 戒毒条例 第16条", person: inState("detox", stateActive)},
	{ID: "detox_suspended", Group: "measure", Kind: Stock, Source: "[L] 戒毒条例 第23条", person: inState("detox", stateSuspended)},
	{ID: "detox_pending", Group: "measure", Kind: Stock, Source: "[L] 戒毒条例 第14条", person: inState("detox", statePending)},
	{ID: "rehab_active", Group: "measure", Kind: Stock, Source: "[L] 戒毒条例 第37条", person: inState("rehab", stateActive)},
	{ID: "rehab_suspended", Group: "measure", Kind: Stock, Source: "[L] 戒毒条例 第37条", person: inState("rehab", stateSuspended)},
	{ID: "rehab_pending", Group: "measure", Kind: Stock, Source: "[L] 戒毒条例 第37条", person: inState("rehab", statePending)},
	{ID: "in_measure", Group: "measure", Kind: Stock, Source: "[I]", person: func(a *at) int { return b(inProgress(a)) }},

	{ID: "completed", Group: "ended", Kind: Flow, Source: "[L] 戒毒条例 第24条", person: endedAs("completed")},
	{ID: "terminated", Group: "ended", Kind: Flow, Source: "[L] 戒毒条例 第24、25条", person: endedAs("terminated", "handed_over", "refused")},
	{ID: "suspended_new", Group: "ended", Kind: Flow, Source: "[L] 戒毒条例 第23条", person: func(a *at) int {
		n := 0
		for i := range a.p.Measures {
			n += a.h.suspensionsIn(&a.p.Measures[i], a.m)
		}
		return n
	}},

	{ID: "lost_contact", Group: "lost", Kind: Stock, Source: "[P] 失联/脱管", person: func(a *at) int { return b(a.in && a.lostOn(a.m.Last())) }},
	{ID: "lost_contact_new", Group: "lost", Kind: Flow, Source: "[P] 失联/脱管", person: func(a *at) int { return a.lostIn() }},

	{ID: "tests_due", Group: "tests", Kind: Flow, Source: "[P] 检测频次设置", person: func(a *at) int { return b(testDue(a)) }},
	{ID: "tests_due_done", Group: "tests", Kind: Flow, Source: "[P] 检测频次设置", person: func(a *at) int { return b(testDue(a) && testedIn(a)) }},
	{ID: "test_rate", Group: "tests", Kind: Rate, Source: "[P]", rate: ratio("tests_due_done", "tests_due")},
	{ID: "tests", Group: "tests", Kind: Flow, Source: "[L] 吸毒检测程序规定", person: testsWith("negative", "positive", "invalid")},
	{ID: "tests_positive", Group: "tests", Kind: Flow, Source: "[L] 戒毒条例 第25条", person: testsWith("positive")},
	{ID: "tests_refused", Group: "tests", Kind: Flow, Source: "[L] 戒毒条例 第25条", person: testsWith("refused", "absent")},

	{ID: "visits_staff", Group: "visits", Kind: Flow, Source: "[P]", person: visitsBy(false)},
	{ID: "visits_volunteer", Group: "visits", Kind: Flow, Source: "[P]", person: visitsBy(true)},
	{ID: "leaves", Group: "leaves", Kind: Flow, Source: "[L] 戒毒条例 第19条", person: func(a *at) int {
		n := 0
		for _, l := range a.p.Leaves {
			n += b(a.m.Contains(l.Depart))
		}
		return n
	}},
	{ID: "violations", Group: "violations", Kind: Flow, Source: "[L] 戒毒条例 第25条", person: func(a *at) int {
		n := 0
		for _, v := range a.p.Violations {
			n += b(a.m.Contains(v.Date))
		}
		return n
	}},
	{ID: "police_reports", Group: "violations", Kind: Flow, Source: "[L] 戒毒条例 第25条", person: func(a *at) int {
		n := 0
		for _, v := range a.p.Violations {
			n += b(a.m.Contains(v.PoliceReported))
		}
		return n
	}},

	{ID: "transfers_in", Group: "transfers", Kind: Flow, Source: "[L] 戒毒条例 第22条 变更执行地", person: func(a *at) int { return a.h.arrivalsIn(a.p, a.m) }},
	{ID: "transfers_out", Group: "transfers", Kind: Township, Source: "[L] 戒毒条例 第22条 变更执行地", town: func(t *township) int { return t.h.departuresIn(t.d.Persons, t.m) }},

	{ID: "risk_high", Group: "risk", Kind: Stock, Source: "[S] 分级分类管理", person: riskIs("high")},
	{ID: "risk_medium", Group: "risk", Kind: Stock, Source: "[S] 分级分类管理", person: riskIs("medium")},
	{ID: "risk_low", Group: "risk", Kind: Stock, Source: "[S] 分级分类管理", person: riskIs("low")},
	{ID: "risk_none", Group: "risk", Kind: Stock, Source: "[S] 分级分类管理", person: riskIs("")},
	{ID: "methadone", Group: "methadone", Kind: Stock, Source: "[S] 美沙酮维持治疗", person: func(a *at) int {
		st := a.p.Report.MethadoneStart
		return b(inProgress(a) && a.p.Methadone && (st == 0 || st <= a.m.Last()))
	}},

	{ID: "emp_central", Group: "employment", Kind: Stock, Source: "[S] 阳光工程", person: employed("central")},
	{ID: "emp_dispersed", Group: "employment", Kind: Stock, Source: "[S] 阳光工程", person: employed("dispersed")},
	{ID: "emp_startup", Group: "employment", Kind: Stock, Source: "[S] 阳光工程", person: employed("startup")},
	{ID: "emp_self", Group: "employment", Kind: Stock, Source: "[S] 阳光工程", person: employed("self")},
	{ID: "emp_public", Group: "employment", Kind: Stock, Source: "[S] 阳光工程", person: employed("public")},
	{ID: "emp_farming", Group: "employment", Kind: Stock, Source: "[P] 务农", person: employed("farming")},
	{ID: "emp_migrant", Group: "employment", Kind: Stock, Source: "[P] 外出务工", person: employed("migrant")},
	{ID: "emp_flexible", Group: "employment", Kind: Stock, Source: "[P] 灵活就业", person: employed("flexible")},
	{ID: "emp_unemployed", Group: "employment", Kind: Stock, Source: "[S] 阳光工程", person: employed("unemployed")},
	{ID: "emp_unable", Group: "employment", Kind: Stock, Source: "[S] 阳光工程", person: employed("unable")},
	{ID: "emp_unknown", Group: "employment", Kind: Stock, Source: "[I]", person: employed("")},
	{ID: "placed", Group: "employment", Kind: Stock, Source: "[S] 阳光工程", person: func(a *at) int { return b(inProgress(a) && rules.Placed(a.emp)) }},
	{ID: "able", Group: "employment", Kind: Stock, Source: "[S]", person: func(a *at) int { return b(inProgress(a) && a.emp != "unable") }},
	{ID: "placement_rate", Group: "employment", Kind: Rate, Source: "[S] 安置率≥90%", rate: ratio("placed", "able")},
	{ID: "able_willing", Group: "employment", Kind: Stock, Source: "[S]", person: func(a *at) int { return b(ableWilling(a)) }},
	{ID: "placed_willing", Group: "employment", Kind: Stock, Source: "[S]", person: func(a *at) int { return b(ableWilling(a) && rules.Placed(a.emp)) }},
	{ID: "willing_rate", Group: "employment", Kind: Rate, Source: "[S] 有劳动能力且有就业意愿者100%", rate: ratio("placed_willing", "able_willing")},

	{ID: "poverty", Group: "assistance", Kind: Stock, Source: "[S] 因毒致贫家庭", person: flag(func(f *rules.ReportFields) bool { return f.Poverty })},
	{ID: "dibao", Group: "assistance", Kind: Stock, Source: "[S] 低保", person: flag(func(f *rules.ReportFields) bool { return f.Dibao })},
	{ID: "medical_aid", Group: "assistance", Kind: Stock, Source: "[S] 医疗救助", person: flag(func(f *rules.ReportFields) bool { return f.MedicalAid })},
	{ID: "assistance", Group: "assistance", Kind: Flow, Source: "[S]", person: func(a *at) int {
		n := 0
		for _, x := range a.p.Assistance {
			n += b(a.m.Contains(x.Date))
		}
		return n
	}},
	{ID: "ill_disabled", Group: "ill", Kind: Stock, Source: "[S] 病残吸毒人员", person: flag(func(f *rules.ReportFields) bool { return f.IllDisabled })},

	{ID: "staff", Group: "staff", Kind: Township, Source: "[S] 专干", town: func(t *township) int { return t.staffing.Staff }},
	{ID: "staff_required", Group: "staff", Kind: Township, Source: "[S] 1:30 / 1:20", town: func(t *township) int { return t.staffing.Required }},
	{ID: "volunteers_active", Group: "volunteers", Kind: Township, Source: "[S][L] 志愿服务条例", town: func(t *township) int {
		n := 0
		for _, v := range t.d.Volunteers {
			n += b(v.Active)
		}
		return n
	}},
	{ID: "volunteers_insured", Group: "volunteers", Kind: Township, Source: "[L] 志愿服务条例 第19条", town: func(t *township) int {
		n := 0
		for _, v := range t.d.Volunteers {
			n += b(v.Active && v.InsuranceExpiry >= t.m.Last())
		}
		return n
	}},
}

// DefOf returns the row of an ID.
func DefOf(id string) (Def, bool) {
	for _, d := range Defs {
		if d.ID == id {
			return d, true
		}
	}
	return Def{}, false
}

// Value is the row's figure in counts: an int, or a rate's text.
func (d Def) Value(c Counts) any {
	if d.Kind == Rate {
		return d.rate(c)
	}
	return c[d.ID]
}

func b(ok bool) int {
	if ok {
		return 1
	}
	return 0
}

func inProgress(a *at) bool { return a.state == stateActive || a.state == stateSuspended }

func newDecisions(typ string) func(*at) int {
	return func(a *at) int {
		return countMeasures(a, func(m *rules.Measure) bool { return m.Type == typ && a.m.Contains(decided(m)) })
	}
}

// reportDue counts report-in deadlines in the month; met, those reported
// in by the deadline.
func reportDue(met bool) func(*at) int {
	return func(a *at) int {
		return countMeasures(a, func(m *rules.Measure) bool {
			due := m.ReportDue
			if due == 0 && m.Received != 0 {
				due = m.Received.AddDays(a.th.ReportInDays)
			}
			return a.m.Contains(due) && (!met || (m.ReportIn != 0 && m.ReportIn <= due))
		})
	}
}

func countMeasures(a *at, ok func(*rules.Measure) bool) int {
	n := 0
	for i := range a.p.Measures {
		n += b(ok(&a.p.Measures[i]))
	}
	return n
}

func countDays(m Month, days []rules.Day) int {
	n := 0
	for _, d := range days {
		n += b(m.Contains(d))
	}
	return n
}

func inState(typ, state string) func(*at) int {
	return func(a *at) int { return b(a.ms != nil && a.ms.Type == typ && a.state == state) }
}

func endedAs(statuses ...string) func(*at) int {
	return func(a *at) int {
		return countMeasures(a, func(m *rules.Measure) bool {
			for _, s := range statuses {
				if m.Status == s && a.m.Contains(ended(m)) {
					return true
				}
			}
			return false
		})
	}
}

// testDue: the person's measure is being executed (not suspended) and the
// interval of its phase has run out by the month's end since the last
// test before the month, or since the start. Periodic duties fall due from
// the township's adoption baseline (开始使用日期) at the earliest, as the
// alerts do: what happened before is unknown, not overdue.
func testDue(a *at) bool {
	if a.state != stateActive {
		return false
	}
	ms := *a.ms
	ms.Start = began(a.ms)
	base := ms.Start
	for _, t := range a.p.Tests {
		if t.Date >= base && t.Date < a.m.First() && performed(t.Result) {
			base = t.Date
		}
	}
	base = max(base, a.th.Baseline)
	months := rules.TestIntervalMonths(&ms, base, a.th)
	return months > 0 && base.AddMonths(months) <= a.m.Last()
}

func performed(result string) bool { return result == "negative" || result == "positive" }

func testedIn(a *at) bool {
	for _, t := range a.p.Tests {
		if a.m.Contains(t.Date) && performed(t.Result) {
			return true
		}
	}
	return false
}

func testsWith(results ...string) func(*at) int {
	return func(a *at) int {
		n := 0
		for _, t := range a.p.Tests {
			for _, r := range results {
				n += b(t.Result == r && a.m.Contains(t.Date))
			}
		}
		return n
	}
}

func visitsBy(volunteer bool) func(*at) int {
	return func(a *at) int {
		n := 0
		for _, v := range a.p.Visits {
			n += b(a.m.Contains(v.Date) && (v.VisitorKind == "volunteer") == volunteer)
		}
		return n
	}
}

func riskIs(level string) func(*at) int {
	return func(a *at) int {
		r := riskOn(a.p, a.m.Last())
		if r != "high" && r != "medium" && r != "low" {
			r = ""
		}
		return b(inProgress(a) && r == level)
	}
}

// employed counts persons in the community by employment; "" is every
// value not among the codes (not recorded).
func employed(code string) func(*at) int {
	return func(a *at) int {
		e := a.emp
		switch e {
		case "central", "dispersed", "startup", "self", "public", "farming", "migrant", "flexible", "unemployed", "unable":
		default:
			e = ""
		}
		return b(inProgress(a) && e == code)
	}
}

func ableWilling(a *at) bool {
	return inProgress(a) && a.emp != "unable" && a.p.Report.Willing
}

// flag counts persons in the register with a flag set.
func flag(get func(*rules.ReportFields) bool) func(*at) int {
	return func(a *at) int { return b(a.in && get(&a.p.Report)) }
}

// ratio is n/of as a percentage with one decimal, "-" when of is 0.
func ratio(n, of string) func(Counts) string {
	return func(c Counts) string { return rules.Percent(c[n], c[of]) }
}

// riskOn is a person's risk level on a day: the latest assessment dated
// by then; the person's own level when none is (a ledger's 风险等级, or
// assessments only after the day: what the level was before is unknown).
func riskOn(p *rules.Person, d rules.Day) string {
	for i := len(p.Risks) - 1; i >= 0; i-- {
		if r := p.Risks[i]; r.Date != 0 && r.Date <= d {
			return r.Level
		}
	}
	return p.Risk
}

// employmentOn is a person's employment on a day: the latest placement
// (安置) dated by then; the person's own 就业状况 when none is.
func employmentOn(p *rules.Person, d rules.Day) string {
	emp, at := p.Employment, rules.Day(0)
	for _, pl := range p.Placements { // not sorted by date
		if pl.Date != 0 && pl.Date <= d && pl.Date >= at && pl.Kind != "" {
			emp, at = pl.Kind, pl.Date
		}
	}
	return emp
}
