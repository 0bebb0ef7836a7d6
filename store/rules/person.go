package rules

// ForPerson computes one person's alerts: what the detail screen shows
// right after an edit. It reads only that person's file.
func ForPerson(p *Person, today Day, t *Thresholds) []Alert {
	return newEnv(today, t).personAlerts(p, nil)
}

func (e *env) personAlerts(p *Person, out []Alert) []Alert {
	today := e.today
	m := p.CurrentMeasure()
	if m == nil || !underMeasure(m.Status) || !Community(m.Type) {
		return out
	}
	out = e.reportIn(p, m, out)
	out = e.lostContact(p, out)
	since := windowStart(m)
	out = e.leaveOverdue(p, since, out)
	out = e.seriousViolation(p, since, out)
	out = e.positiveTests(p, since, out)
	if inProgress(m.Status) {
		out = e.measureEnd(p, m, out)
		out = e.agreement(p, m, since, out)
	}
	if m.Status == "active" {
		out = e.testSchedule(p, m, since, out)
		out = e.visitSchedule(p, m, since, out)
		out = e.riskSchedule(p, m, since, out)
	}
	return e.unassigned(p, today, out)
}

// Community reports whether a measure type is served in the community
// (社区戒毒, 社区康复) and so brings the township's duties and alerts; a
// person in 强制隔离戒毒 or 自愿戒毒 is kept on file without them.
func Community(typ string) bool { return typ == "detox" || typ == "rehab" }

// underMeasure: the township is responsible for the person now.
func underMeasure(status string) bool {
	return status == "pending" || inProgress(status)
}

// inProgress: the measure is being executed (执行中 or 中止).
func inProgress(status string) bool { return status == "active" || status == "suspended" }

// windowStart is the first day whose events count against the current
// measure: what happened under an earlier measure is not a breach of this
// agreement.
func windowStart(m *Measure) Day {
	for _, d := range []Day{m.Received, m.ReportIn, m.Start} {
		if d != 0 {
			return d
		}
	}
	return 0
}

// reportIn: "应当自收到决定书之日起15日内报到" — the last allowed day is
// received + 15; from the next day the person is treated as refusing.
func (e *env) reportIn(p *Person, m *Measure, out []Alert) []Alert {
	today, t := e.today, e.t
	if m.Status != "pending" || m.ReportIn != 0 || m.Received == 0 {
		return out
	}
	due := m.Received.AddDays(t.ReportInDays)
	if today > due {
		return append(out, e.alert(ReportInOverdue, Police, p.ID, due, "", e.d(m.Received), e.d(due), int(today-due)))
	}
	return append(out, e.alert(ReportInDue, DueSoon, p.ID, due, "", e.d(m.Received), e.d(due), int(due-today)))
}

// refusalDates are the distinct days the person refused or evaded a test,
// from test results and violation records alike (officers often log both
// for one refusal, which must count once).
func refusalDates(p *Person, since, today Day) []Day {
	var out []Day
	add := func(d Day) {
		if d < since || d > today {
			return
		}
		for _, x := range out {
			if x == d {
				return
			}
		}
		out = append(out, d)
	}
	for _, x := range p.Tests {
		if x.Result == "refused" || x.Result == "absent" {
			add(x.Date)
		}
	}
	for _, v := range p.Violations {
		if v.Kind == "refused_test" || v.Kind == "evaded_test" {
			add(v.Date)
		}
	}
	sortDays(out)
	return out
}

func sortDays(ds []Day) {
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0 && ds[j] < ds[j-1]; j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
}

// seriousViolation applies 戒毒条例 art. 20: "逃避或者拒绝接受检测3次以上，擅自
// 离开… 3次以上或者累计超过30日" — 3 counts ("以上" includes the number), 30 days
// do not ("超过" excludes it).
func (e *env) seriousViolation(p *Person, since Day, out []Alert) []Alert {
	today, t := e.today, e.t
	if len(p.Tests) == 0 && len(p.Violations) == 0 && len(p.Leaves) == 0 {
		return out
	}
	refusals := refusalDates(p, since, today)
	out = e.countRule(p, refusals, t.RefusedTests, t.RefusedTestsWarn, "tests", out)
	var departures []Day
	var absent []int
	for _, v := range p.Violations {
		if v.Kind == "departure" && v.Date >= since && v.Date <= today {
			departures = append(departures, v.Date)
			absent = append(absent, v.Days)
		}
	}
	out = e.countRule(p, departures, t.Departures, t.DeparturesWarn, "departures", out)
	away, awayDays := e.overdueLeaves(p, since, departures, absent)
	return e.absenceRule(p, away, awayDays, out)
}

// countRule raises the police alert at limit events and the warning from
// warn events, with the dates as evidence.
func (e *env) countRule(p *Person, dates []Day, limit, warn int, variant string, out []Alert) []Alert {
	n := len(dates)
	switch {
	case limit > 0 && n >= limit:
		crossed := dates[limit-1]
		if reportedSince(p, crossed) {
			return out
		}
		return append(out, e.alert(SeriousViolation, Police, p.ID, crossed, variant, n, dates))
	case warn > 0 && n >= warn:
		return append(out, e.alert(ViolationWarning, DueSoon, p.ID, 0, variant, n, limit, dates))
	}
	return out
}

// absenceRule: more than AbsenceDays days away in total.
func (e *env) absenceRule(p *Person, dates []Day, days []int, out []Alert) []Alert {
	t := e.t
	total, crossed := 0, Day(0)
	for i, d := range days {
		total += d
		if crossed == 0 && total > t.AbsenceDays {
			crossed = dates[i]
		}
	}
	switch {
	case crossed != 0:
		if reportedSince(p, crossed) {
			return out
		}
		return append(out, e.alert(SeriousViolation, Police, p.ID, crossed, "absence", total, t.AbsenceDays, dates))
	case t.AbsenceDaysWarn > 0 && total >= t.AbsenceDaysWarn:
		return append(out, e.alert(ViolationWarning, DueSoon, p.ID, 0, "absence", total, t.AbsenceDays, dates))
	}
	return out
}

// reportedSince: a violation was reported to the police on or after the
// day the threshold was crossed, so the duty is done.
func reportedSince(p *Person, crossed Day) bool {
	for _, v := range p.Violations {
		if v.PoliceReported != 0 && v.PoliceReported >= crossed {
			return true
		}
	}
	return false
}

// positiveTests: every positive test under the measure must go to the
// police, unless a violation logged for it records the report.
func (e *env) positiveTests(p *Person, since Day, out []Alert) []Alert {
	today := e.today
	for _, x := range p.Tests {
		if x.Result != "positive" || x.Date < since || x.Date > today {
			continue
		}
		if !positiveReported(p, x.Date) {
			out = append(out, e.alert(PositiveTest, Police, p.ID, x.Date, "", e.d(x.Date)))
		}
	}
	return out
}

func positiveReported(p *Person, test Day) bool {
	for _, v := range p.Violations {
		if v.PoliceReported == 0 || v.PoliceReported < test {
			continue
		}
		if v.Date == test || (v.Kind == "positive_test" && v.Date >= test) {
			return true
		}
	}
	return false
}

// measureEnd: the end is announced 30 days ahead (info), 7 days ahead
// (due soon), and once passed with the measure still open, the completion
// paperwork is overdue.
func (e *env) measureEnd(p *Person, m *Measure, out []Alert) []Alert {
	today, t := e.today, e.t
	if m.PlannedEnd == 0 {
		return out
	}
	left := int(m.PlannedEnd - today)
	typ := measureTerm(m.Type)
	switch {
	case left < 0:
		return append(out, e.alert(CompletionOverdue, Overdue, p.ID, m.PlannedEnd, "", typ, e.d(m.PlannedEnd), -left))
	case left <= t.EndUrgentDays:
		return append(out, e.alert(MeasureEnding, DueSoon, p.ID, m.PlannedEnd, "", typ, e.d(m.PlannedEnd), left))
	case left <= t.EndSoonDays:
		return append(out, e.alert(MeasureEnding, Info, p.ID, m.PlannedEnd, "", typ, e.d(m.PlannedEnd), left))
	}
	return out
}

// testSchedule: due = last test + the interval of the phase the last test
// fell in; with no test yet, counted from the start.
func (e *env) testSchedule(p *Person, m *Measure, since Day, out []Alert) []Alert {
	today, t := e.today, e.t
	start := m.Start
	if start == 0 {
		return out
	}
	base, basis := start, Term("basis.start")
	for i := len(p.Tests) - 1; i >= 0; i-- {
		x := p.Tests[i]
		if x.Date >= since && x.Date <= today && (x.Result == "negative" || x.Result == "positive") {
			base, basis = x.Date, Term("basis.last_test")
			break
		}
	}
	if base < t.Baseline {
		base, basis = t.Baseline, Term("basis.baseline")
	}
	months, phase := testInterval(m, base, t)
	if months <= 0 {
		return out
	}
	due := base.AddMonths(months)
	sev, variant, days, ok := e.due(due)
	if !ok {
		return out
	}
	return append(out, e.alert(TestDue, sev, p.ID, due, variant, basis, e.d(base), phase, months, e.d(due), days))
}

// Phase names, boxed once.
var (
	phaseRehab  any = Term("phase.rehab")
	phaseDetox1 any = Term("phase.detox_y1")
	phaseDetox2 any = Term("phase.detox_y2")
	phaseDetox3 any = Term("phase.detox_y3")
)

// TestIntervalMonths is the test interval in months of a measure's phase
// at a date (0: no periodic tests), for the monthly report's tests due.
func TestIntervalMonths(m *Measure, at Day, t *Thresholds) int {
	n, _ := testInterval(m, at, t)
	return n
}

// testInterval is the interval in months and the phase name at a date.
func testInterval(m *Measure, at Day, t *Thresholds) (int, any) {
	if m.Type == "rehab" {
		return t.RehabTestMonths, phaseRehab
	}
	switch {
	case at < m.Start.AddMonths(12):
		return t.DetoxTestMonthsY1, phaseDetox1
	case at < m.Start.AddMonths(24):
		return t.DetoxTestMonthsY2, phaseDetox2
	}
	return t.DetoxTestMonthsY3, phaseDetox3
}

// due classifies a due date: overdue from the day after it, due soon from
// DueSoonDays before it. ok is false when nothing fires, so that callers
// build the explanation only for alerts that exist.
func (e *env) due(due Day) (sev Severity, variant string, days int, ok bool) {
	switch {
	case e.today > due:
		return Overdue, "overdue", int(e.today - due), true
	case e.today >= due.AddDays(-e.t.DueSoonDays):
		return DueSoon, "soon", int(due - e.today), true
	}
	return 0, "", 0, false
}

func (e *env) visitSchedule(p *Person, m *Measure, since Day, out []Alert) []Alert {
	today, t := e.today, e.t
	if m.Start == 0 || t.VisitMonths <= 0 {
		return out
	}
	base, basis := m.Start, Term("basis.start")
	for i := len(p.Visits) - 1; i >= 0; i-- {
		if v := p.Visits[i]; v.Date >= since && v.Date <= today {
			base, basis = v.Date, Term("basis.last_visit")
			break
		}
	}
	if base < t.Baseline {
		base, basis = t.Baseline, Term("basis.baseline")
	}
	due := base.AddMonths(t.VisitMonths)
	sev, variant, days, ok := e.due(due)
	if !ok {
		return out
	}
	return append(out, e.alert(VisitDue, sev, p.ID, due, variant, basis, e.d(base), t.VisitMonths, e.d(due), days))
}

// riskSchedule: reassess RiskMonths after the last assessment, and within
// RiskAfterEventDays of a positive test or violation after it; a person
// never assessed is due RiskAfterEventDays after the start.
func (e *env) riskSchedule(p *Person, m *Measure, since Day, out []Alert) []Alert {
	today, t := e.today, e.t
	var last Day
	for i := len(p.Risks) - 1; i >= 0; i-- {
		if r := p.Risks[i]; r.Date >= since && r.Date <= today {
			last = r.Date
			break
		}
	}
	due, basis, base := m.Start.AddDays(t.RiskAfterEventDays), Term("basis.start"), m.Start
	if last != 0 {
		due, basis, base = last.AddMonths(t.RiskMonths), Term("basis.last_risk"), last
	}
	if ev, kind := firstEventAfter(p, max(last, since), last != 0, today); ev != 0 {
		if d := ev.AddDays(t.RiskAfterEventDays); d < due {
			due, basis, base = d, kind, ev
		}
	}
	if base == 0 {
		return out
	}
	if base < t.Baseline { // an assessment before the baseline may exist unrecorded
		due, basis, base = t.Baseline.AddMonths(t.RiskMonths), Term("basis.baseline"), t.Baseline
	}
	sev, variant, days, ok := e.due(due)
	if !ok {
		return out
	}
	return append(out, e.alert(RiskDue, sev, p.ID, due, variant, basis, e.d(base), e.d(due), days))
}

// firstEventAfter finds the earliest positive test or violation after an
// assessment (strictly after when there was one: an assessment the same day
// is taken to include it).
func firstEventAfter(p *Person, from Day, strict bool, today Day) (Day, Term) {
	after := func(d Day) bool { return d <= today && (d > from || (!strict && d == from)) }
	var best Day
	var kind Term
	for _, x := range p.Tests {
		if x.Result == "positive" && after(x.Date) && (best == 0 || x.Date < best) {
			best, kind = x.Date, "basis.positive"
		}
	}
	for _, v := range p.Violations {
		if after(v.Date) && (best == 0 || v.Date < best) {
			best, kind = v.Date, "basis.violation"
		}
	}
	return best, kind
}

// unassigned: every person under a measure needs a staff member and a
// volunteer in their working group.
func (e *env) unassigned(p *Person, today Day, out []Alert) []Alert {
	staff, volunteer := p.StaffField != "", false
	for _, a := range p.Assignments {
		if (a.Start != 0 && a.Start > today) || (a.End != 0 && a.End < today) {
			continue
		}
		staff = staff || a.Role == "staff"
		volunteer = volunteer || a.Role == "volunteer"
	}
	if !staff {
		out = append(out, e.alert(Unassigned, Info, p.ID, 0, "staff"))
	}
	if !volunteer {
		out = append(out, e.alert(Unassigned, Info, p.ID, 0, "volunteer"))
	}
	return out
}
