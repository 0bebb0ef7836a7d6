package rules

import "time"

// Day is a calendar date as a day number, so that the engine compares and
// subtracts dates with integer arithmetic: 100,000 persons are evaluated in
// well under a second only if no date is parsed or allocated in the loop.
// The zero Day means "no date"; day 1 is 1900-01-01.
type Day int32

// epochShift is the day number of 1970-01-01.
const epochShift = 25568

// ParseDay reads a stored "2006-01-02" date; anything else is no date.
func ParseDay(s string) Day {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m) || y < 1900 {
		return 0
	}
	return fromCivil(y, m, d)
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// DayOf is the calendar date of a time in its own location.
func DayOf(t time.Time) Day {
	if t.IsZero() {
		return 0
	}
	return fromCivil(t.Year(), int(t.Month()), t.Day())
}

// DayOfChina is the calendar date in China Standard Time of an instant.
func DayOfChina(t time.Time) Day { return DayOf(t.In(ChinaTime)) }

// ChinaTime is the townships' time zone (UTC+8, no daylight saving).
var ChinaTime = time.FixedZone("CST", 8*3600)

// Date returns the year, month and day.
func (d Day) Date() (year, month, day int) { return toCivil(d) }

// Time is the date at midnight UTC.
func (d Day) Time() time.Time {
	y, m, dd := toCivil(d)
	return time.Date(y, time.Month(m), dd, 0, 0, 0, 0, time.UTC)
}

// String formats the date as "2006-01-02", and no date as "".
func (d Day) String() string {
	if d == 0 {
		return ""
	}
	y, m, dd := toCivil(d)
	b := []byte("0000-00-00")
	put := func(at, n, width int) {
		for i := at + width - 1; i >= at; i-- {
			b[i] = byte('0' + n%10)
			n /= 10
		}
	}
	put(0, y, 4)
	put(5, m, 2)
	put(8, dd, 2)
	return string(b)
}

// MarshalText writes the date as "2006-01-02" in JSON.
func (d Day) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads "2006-01-02"; "" is no date.
func (d *Day) UnmarshalText(b []byte) error {
	*d = ParseDay(string(b))
	return nil
}

// AddDays moves the date by n days.
func (d Day) AddDays(n int) Day { return d + Day(n) }

// AddMonths adds calendar months, clamping to the end of a shorter month
// (Jan 31 + 1 month = Feb 28/29), as test schedules and measure ends count.
func (d Day) AddMonths(n int) Day {
	y, m, dd := toCivil(d)
	total := y*12 + (m - 1) + n
	y, m = total/12, total%12+1
	if last := daysInMonth(y, m); dd > last {
		dd = last
	}
	return fromCivil(y, m, dd)
}

// MonthEnd is the last day of d's month.
func (d Day) MonthEnd() Day {
	y, m, _ := toCivil(d)
	return fromCivil(y, m, daysInMonth(y, m))
}

func daysInMonth(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// fromCivil converts a proleptic Gregorian date to a day number
// (H. Hinnant's days_from_civil).
func fromCivil(y, m, d int) Day {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return Day(era*146097 + doe - 719468 + epochShift)
}

func toCivil(day Day) (int, int, int) {
	z := int(day) - epochShift + 719468
	era := z / 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}
