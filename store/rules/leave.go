package rules

// LeaveOverdue is a reported leave whose return date has passed with no
// return recorded.
var LeaveOverdue = Rule{"leave_overdue", Overdue, ScopePerson, "L",
	"戒毒条例第十九条：离开社区戒毒执行地所在县（市、区）3日以上的，须书面报告；逾期未归的天数属擅自离开，计入第二十条“累计超过30日”",
	nil}

// leaveOverdue: from the day after the reported return date, a leave with
// no return recorded is overdue; the officer finds the person or records
// the return.
func (e *env) leaveOverdue(p *Person, since Day, out []Alert) []Alert {
	for _, l := range p.Leaves {
		if l.Depart < since || l.Expected == 0 || l.Returned != 0 || e.today <= l.Expected {
			continue
		}
		out = append(out, e.alert(LeaveOverdue, Overdue, p.ID, l.Expected, "", e.d(l.Depart), e.d(l.Expected), int(e.today-l.Expected)))
	}
	return out
}

// overdueSpan is the unauthorised part of a leave up to today: from the
// day after the reported return to the day back (or today). n is 0 when
// the person came back in time, or the return date has not passed.
func (l Leave) overdueSpan(today Day) (from Day, n int) {
	if l.Expected == 0 || l.Expected >= today {
		return 0, 0
	}
	end := today
	if l.Returned != 0 && l.Returned < today {
		end = l.Returned
	}
	if end <= l.Expected {
		return 0, 0
	}
	return l.Expected.AddDays(1), int(end - l.Expected)
}

// overdueLeaves adds, to the departures logged as violations and their
// days, the overdue days of each leave of the measure: time away past the
// reported return is away without a report (戒毒条例 art. 20, "累计超过30日").
// An overdue leave is not counted as a departure of its own: the person
// left with a report, and a wrong count sends them to the police. A
// departure violation dated inside the overdue span is the officer's own
// record of the same absence, so the leave adds nothing then.
func (e *env) overdueLeaves(p *Person, since Day, dates []Day, days []int) ([]Day, []int) {
	for _, l := range p.Leaves {
		from, n := l.overdueSpan(e.today)
		if n == 0 || l.Depart < since || loggedWithin(dates, from, from.AddDays(n-1)) {
			continue
		}
		dates, days = insertAbsence(dates, days, from, n)
	}
	return dates, days
}

func loggedWithin(dates []Day, from, to Day) bool {
	for _, d := range dates {
		if d >= from && d <= to {
			return true
		}
	}
	return false
}

// insertAbsence keeps dates sorted, so that the day the total crossed the
// limit is found in order. It copies: the slices may share a caller's array.
func insertAbsence(dates []Day, days []int, at Day, n int) ([]Day, []int) {
	i := 0
	for i < len(dates) && dates[i] <= at {
		i++
	}
	outD := append(append(append(make([]Day, 0, len(dates)+1), dates[:i]...), at), dates[i:]...)
	outN := append(append(append(make([]int, 0, len(days)+1), days[:i]...), n), days[i:]...)
	return outD, outN
}
