package report

import "rehabdesk/store/rules"

// A measure's state on a day, from its own dates (decision, report-in,
// start, suspension, end), never from when its record was saved: a
// measure typed in after the month, or brought in by a ledger import, is
// counted from the dates it carries.
const (
	stateNone      = ""          // not yet decided on the day
	statePending   = "pending"   // decided, not yet reported in
	stateActive    = "active"    // being executed (执行中)
	stateSuspended = "suspended" // 中止
	stateEnded     = "ended"     // completed, terminated, refused, handed over
)

// decided is the day the measure came into being: its decision, else the
// day the decision was received, else its report-in or start (a ledger
// often has only 执行开始日期).
func decided(m *rules.Measure) rules.Day { return firstDay(m.Decided, m.Received, m.ReportIn, m.Start) }

// began is the day execution began: the report-in, else the start.
func began(m *rules.Measure) rules.Day { return firstDay(m.ReportIn, m.Start) }

// ended is the day the measure ended, 0 while in force. A final status
// without an end date ends at the planned end, or for a refusal on the
// day after the report-in deadline (戒毒条例 art. 38).
func ended(m *rules.Measure) rules.Day {
	if m.End != 0 {
		return m.End
	}
	switch m.Status {
	case "completed", "terminated", "handed_over", "transferred":
		return firstDay(m.PlannedEnd, began(m), decided(m))
	case "refused":
		if m.ReportDue != 0 {
			return m.ReportDue.AddDays(1)
		}
		return decided(m)
	}
	return 0
}

// stateOn is the measure's state at the end of a day; h (may be nil)
// says when it was suspended.
func stateOn(h *History, m *rules.Measure, d rules.Day) string {
	switch e, b, dec := ended(m), began(m), decided(m); {
	case e != 0 && e <= d:
		return stateEnded
	case b != 0 && b <= d:
		if h.suspendedOn(m, d) {
			return stateSuspended
		}
		return stateActive
	case dec != 0 && dec <= d:
		return statePending
	}
	return stateNone
}

// measureOn is the person's measure in force at the end of a day and its
// state: one being executed before one pending, nil when none.
func measureOn(h *History, p *rules.Person, d rules.Day) (*rules.Measure, string) {
	var best *rules.Measure
	state := stateNone
	for i := range p.Measures {
		m := &p.Measures[i]
		switch s := stateOn(h, m, d); s {
		case stateActive, stateSuspended:
			return m, s
		case statePending:
			best, state = m, s
		}
	}
	return best, state
}

// since is the day a person entered the township's register: their
// earliest measure or first-found date, else the day their file was made.
// An imported person is existing caseload from their measure's start.
func since(p *rules.Person) rules.Day {
	first := p.FirstFound
	for i := range p.Measures {
		if d := decided(&p.Measures[i]); d != 0 && (first == 0 || d < first) {
			first = d
		}
	}
	return firstDay(first, p.Registered)
}

// firstDay is the first non-zero day.
func firstDay(ds ...rules.Day) rules.Day {
	for _, d := range ds {
		if d != 0 {
			return d
		}
	}
	return 0
}
