// Package report computes the monthly figures (月报) a township uploads to
// the county and writes them as a workbook that looks like the paper form:
// title, township, period, merged multi-level headers, a row per village and
// a totals row, printable on A4.
//
// Figures are computed from the data as it stood at the end of the month
// (China time), rebuilt from the change log, so regenerating an old month
// gives the same numbers after later edits. Event dates decide which month
// an event counts in. No Fyne.
package report

import (
	"fmt"
	"time"

	"rehabdesk/store/rules"
)

// Month is a calendar month of the report.
type Month struct {
	Year  int
	Month time.Month
}

// ParseMonth reads "2026-10".
func ParseMonth(s string) (Month, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return Month{}, fmt.Errorf("month %q: want YYYY-MM", s)
	}
	return Month{t.Year(), t.Month()}, nil
}

// String is "2026-10".
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month)) }

// First is the month's first day.
func (m Month) First() rules.Day {
	return rules.DayOf(time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC))
}

// Last is the month's last day.
func (m Month) Last() rules.Day { return m.First().MonthEnd() }

// Contains reports whether a date falls in the month.
func (m Month) Contains(d rules.Day) bool { return d != 0 && d >= m.First() && d <= m.Last() }

// End is the last instant of the month in China time: the moment the
// report's data is taken at.
func (m Month) End() time.Time {
	return time.Date(m.Year, m.Month+1, 1, 0, 0, 0, 0, rules.ChinaTime).Add(-time.Millisecond)
}

// Next is the month after.
func (m Month) Next() Month {
	t := time.Date(m.Year, m.Month+1, 1, 0, 0, 0, 0, time.UTC)
	return Month{t.Year(), t.Month()}
}

// Prev is the month before.
func (m Month) Prev() Month {
	t := time.Date(m.Year, m.Month-1, 1, 0, 0, 0, 0, time.UTC)
	return Month{t.Year(), t.Month()}
}

// Deadline is the last day to submit the month's report: day of the next
// month (the setting report_deadline_day, by default the 5th), clamped to
// that month's length. Officers type the month's paper records in the
// first days of the next month; until the deadline the report is a draft.
func (m Month) Deadline(day int) rules.Day {
	next := m.Last().AddDays(1)
	if day < 1 {
		day = 1
	}
	return min(next.AddDays(day-1), next.MonthEnd())
}

// Ended reports whether the month is over on a day.
func (m Month) Ended(today rules.Day) bool { return today > m.Last() }

// MonthOf is the month of a day.
func MonthOf(d rules.Day) Month {
	y, mo, _ := d.Date()
	return Month{y, time.Month(mo)}
}
