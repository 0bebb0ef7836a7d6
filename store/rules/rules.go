// Package rules computes the alerts township officers are held accountable
// for: the duties the drug-control law puts on them (report-in deadlines,
// serious violations and positive tests that must go to the police, measure
// ends) and the checks of local practice (test, visit and risk-assessment
// schedules, assignments, volunteer insurance, staffing, employment).
//
// Every rule is a named value with its source; every number it compares
// against is a Thresholds setting. Evaluation is pure: Data and a date in,
// alerts out, so it is tested day by day around each threshold and runs for
// a whole township in a fraction of a second. No Fyne, no SQL.
package rules

import (
	"fmt"
	"sync"
)

// Severity orders alerts: what must go to the police first.
type Severity int

// Severities, most urgent first.
const (
	Police  Severity = iota // must be reported to the police (公安机关)
	Overdue                 // a deadline has passed
	DueSoon                 // a deadline or threshold is near
	Info                    // worth knowing
)

var severityNames = []string{"police", "overdue", "due_soon", "info"}

// String is the stable code of a severity ("police", "overdue"...).
func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// MarshalText writes the code in JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a code.
func (s *Severity) UnmarshalText(b []byte) error {
	for i, n := range severityNames {
		if n == string(b) {
			*s = Severity(i)
			return nil
		}
	}
	return fmt.Errorf("unknown severity %q", b)
}

// Scope says what an alert is about.
type Scope int

// Scopes of rules.
const (
	ScopePerson    Scope = iota // one person
	ScopeVolunteer              // one volunteer
	ScopeTownship               // the township as a whole
)

// Rule is one rule the app computes.
type Rule struct {
	ID       string
	Severity Severity // the most urgent severity it raises
	Scope    Scope
	Tag      string   // L law, S seed document, P local practice, I our judgement
	Source   string   // where the duty comes from, in the words officers know
	Settings []string // thresholds it reads (names after SettingPrefix)
}

// The rules, in the order of DOMAIN.md "Rules the app computes".
//
// Each Source cites the article the duty comes from. The article numbers were
// checked (2026-11-29) against these texts, and TestRuleSources pins every
// string so that a change is deliberate:
//   - 戒毒条例 (国务院令第597号, 2011, as revised 2018), arts. 7, 14, 16, 17, 19,
//     20, 21, 23, 38, 40, 44 (7, 16, 19, 44 read 2026-12-07 for issue 18): https://github.com/LawRefBook/Laws/blob/6ef77b0a407dfcb4285dc149af0a159b09e28aa7/行政法规/戒毒条例(2018-09-18).md
//     (arts. 37–40 also quoted at http://crsrw.com/falvjiangtang/141058.html);
//   - 禁毒法 (2007), arts. 33, 35, 38, 48:
//     https://github.com/LawRefBook/Laws/blob/3cd6e86b80f0fac5478dc34216c80e8c0a82b9f0/行政法/禁毒法.md
//     (arts. 33 and 38 also quoted at https://m.66zhonglv.com/toutiao/13084.html);
//   - 志愿服务条例 (2017), art. 17 para. 2:
//     https://github.com/LawRefBook/Laws/blob/6ef77b0a407dfcb4285dc149af0a159b09e28aa7/行政法规/志愿服务条例(2017-08-22).md
var (
	ReportInOverdue = Rule{"report_in_overdue", Police, ScopePerson, "L",
		"戒毒条例第十四条：社区戒毒人员应当自收到责令社区戒毒决定书之日起15日内报到，无正当理由逾期不报到的，视为拒绝接受社区戒毒；第二十一条：拒绝接受社区戒毒的，应当及时向当地公安机关报告（社区康复15日内报到见第三十八条）",
		[]string{"report_in_days"}}
	ReportInDue = Rule{"report_in_due", DueSoon, ScopePerson, "L",
		"戒毒条例第十四条（社区戒毒）、第三十八条（社区康复）：自收到决定书之日起15日内报到", []string{"report_in_days"}}
	SeriousViolation = Rule{"serious_violation", Police, ScopePerson, "L",
		"戒毒条例第二十条：逃避或者拒绝接受检测3次以上，擅自离开社区戒毒执行地所在县（市、区）3次以上或者累计超过30日的，属于严重违反社区戒毒协议；第二十一条、禁毒法第三十五条：应当及时向公安机关报告",
		[]string{"refused_tests", "departures", "absence_days"}}
	ViolationWarning = Rule{"violation_warning", DueSoon, ScopePerson, "I",
		"严重违反协议的提前预警（阈值为本地设置）", []string{"refused_tests_warn", "departures_warn", "absence_days_warn"}}
	PositiveTest = Rule{"positive_test", Police, ScopePerson, "L",
		"禁毒法第三十五条、戒毒条例第二十一条：在社区戒毒期间又吸食、注射毒品的，应当及时向公安机关报告（公安机关依禁毒法第三十八条决定强制隔离戒毒）", nil}
	MeasureEnding = Rule{"measure_ending", DueSoon, ScopePerson, "L",
		"禁毒法第三十三条、戒毒条例第十四条：社区戒毒期限为3年，自报到之日起计算；社区康复不超过3年（禁毒法第四十八条）", []string{"end_soon_days", "end_urgent_days"}}
	CompletionOverdue = Rule{"completion_overdue", Overdue, ScopePerson, "L",
		"戒毒条例第二十三条、第四十条：社区戒毒、社区康复自期满之日起解除，公安机关出具解除通知书并在7日内通知乡（镇）人民政府、城市街道办事处；应当及时办理解除（终止）手续", nil}
	TestDue = Rule{"test_due", Overdue, ScopePerson, "P",
		"按阶段定期检测：社区戒毒第一年每月、第二年每两月、第三年每三月，社区康复每两月（本地可设置）",
		[]string{"detox_test_months_y1", "detox_test_months_y2", "detox_test_months_y3", "rehab_test_months", "due_soon_days"}}
	VisitDue = Rule{"visit_due", Overdue, ScopePerson, "P",
		"每月走访或谈心谈话（本地可设置）", []string{"visit_months", "due_soon_days"}}
	RiskDue = Rule{"risk_due", Overdue, ScopePerson, "P",
		"分级分类管理：每六个月及检测阳性或违反协议后重新评估风险（本地可设置）",
		[]string{"risk_months", "risk_after_event_days", "due_soon_days"}}
	Unassigned = Rule{"unassigned", Info, ScopePerson, "P",
		"每名人员应有帮教专干和禁毒志愿者（戒毒条例第十七条：社区戒毒工作小组）", nil}
	InsuranceExpiring = Rule{"insurance_expiring", Overdue, ScopeVolunteer, "P",
		"志愿服务条例第十七条：安排志愿者参与可能发生人身危险的志愿服务活动前，应当为志愿者购买相应的人身意外伤害保险", []string{"insurance_days"}}
	StaffingShortfall = Rule{"staffing_shortfall", Overdue, ScopeTownship, "S",
		"按登记吸毒人员1:30或社区戒毒社区康复人员1:20配备专职工作人员，每个乡镇至少1名",
		[]string{"users_per_staff", "rehab_per_staff", "min_staff"}}
	StaffRosterEmpty = Rule{"staff_roster_empty", Info, ScopeTownship, "I",
		"专干名册为空：人员录入满一段时间（本地可设置）仍未登记禁毒专职人员的，提醒登记，配备比例（1:30、1:20）据名册核算",
		[]string{"staff_roster_grace_days"}}
	PlacementRate = Rule{"placement_rate", Info, ScopeTownship, "S",
		"社区戒毒社区康复人员就业安置率不低于90%，有劳动能力和就业意愿的100%安置", []string{"placement_percent"}}
)

// All lists every rule.
var All = []Rule{ReportInOverdue, ReportInDue, SeriousViolation, ViolationWarning, PositiveTest,
	MeasureEnding, CompletionOverdue, TestDue, VisitDue, RiskDue, Unassigned, InsuranceExpiring,
	StaffingShortfall, StaffRosterEmpty, PlacementRate, AgreementMissing, LostContact, LeaveOverdue}

// Alert is one rule firing: for whom, how urgent, by when, and why. Key
// and Args render the explanation in either language (see Explain); dates
// in Args are Day values and lists of them ([]Day), the evidence.
type Alert struct {
	Rule        string   `json:"rule"`
	Severity    Severity `json:"severity"`
	PersonID    string   `json:"person_id,omitempty"`
	VolunteerID string   `json:"volunteer_id,omitempty"`
	Due         Day      `json:"due,omitempty"`
	Key         string   `json:"key"`
	Args        []any    `json:"args,omitempty"`
}

// Term is an argument rendered through the translation table, such as the
// name of a phase ("社区戒毒第一年").
type Term string

// newAlert makes an alert outside the hot per-person loop.
func newAlert(r Rule, sev Severity, person string, due Day, variant string, args ...any) Alert {
	return Alert{Rule: r.ID, Severity: sev, PersonID: person, Due: due, Key: keyOf(r.ID, variant), Args: args}
}

// keys caches "rules.<id>.<variant>" so that the loop builds no strings.
var keys sync.Map

func keyOf(id, variant string) string {
	k := [2]string{id, variant}
	if v, ok := keys.Load(k); ok {
		return v.(string)
	}
	key := "rules." + id
	if variant != "" {
		key += "." + variant
	}
	keys.Store(k, key)
	return key
}
