package rules

import (
	"testing"
	"time"
)

func TestDayRoundTrip(t *testing.T) {
	for day := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC); day.Year() < 2100; day = day.AddDate(0, 0, 17) {
		s := day.Format(time.DateOnly)
		d := ParseDay(s)
		if d.String() != s || !d.Time().Equal(day) || DayOf(day) != d {
			t.Fatalf("%s → %d → %s", s, d, d)
		}
	}
	if ParseDay("1900-01-01") != 1 {
		t.Errorf("day 1 is %d", ParseDay("1900-01-01"))
	}
	for _, bad := range []string{"", "2026-02-30", "2026-13-01", "2026/01/01", "20260101"} {
		if ParseDay(bad) != 0 {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestAddMonthsClamps(t *testing.T) {
	for _, tc := range [][3]string{
		{"2026-01-31", "1", "2026-02-28"}, {"2028-01-31", "1", "2028-02-29"}, {"2026-12-15", "1", "2027-01-15"},
		{"2026-03-31", "-1", "2026-02-28"}, {"2026-01-10", "36", "2029-01-10"},
	} {
		n := map[string]int{"1": 1, "-1": -1, "36": 36}[tc[1]]
		if got := ParseDay(tc[0]).AddMonths(n).String(); got != tc[2] {
			t.Errorf("%s + %d months = %s, want %s", tc[0], n, got, tc[2])
		}
	}
	if got := ParseDay("2026-02-10").MonthEnd().String(); got != "2026-02-28" {
		t.Errorf("month end %s", got)
	}
}

func TestDayOfChina(t *testing.T) {
	// 16:30 UTC on Oct 31 is already Nov 1 in Guizhou.
	if got := DayOfChina(time.Date(2026, 10, 31, 16, 30, 0, 0, time.UTC)).String(); got != "2026-11-01" {
		t.Errorf("got %s", got)
	}
}
