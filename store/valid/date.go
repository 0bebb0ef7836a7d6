package valid

import (
	"regexp"
	"strconv"
	"time"
)

// Date patterns accepted by ParseDate, after Normalize.
var (
	sepDate   = regexp.MustCompile(`^([0-9]{4})([-./])([0-9]{1,2})([-./])([0-9]{1,2})$`)
	hanDate   = regexp.MustCompile(`^([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})[日号]?$`)
	compact   = regexp.MustCompile(`^([0-9]{4})([0-9]{2})([0-9]{2})$`)
	serial    = regexp.MustCompile(`^([0-9]{1,7})(\.[0-9]+)?$`)
	yearMonth = regexp.MustCompile(`^(19|20)[0-9]{2}\.(0?[1-9]|1[0-2])$`)
	timestamp = regexp.MustCompile(`^(\S+?)(T| )([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?$`)
)

// Bounds of a date ParseDate accepts; they match Excel's 1900 date system.
const (
	minYear   = 1900
	maxYear   = 9999
	maxSerial = 2958465 // 9999-12-31
)

// ParseDate reads a date as officers type it or Excel stores it and
// returns UTC midnight. It accepts 2024-05-03, 2024-5-3, 2024.5.3,
// 2024/05/03, 2024年5月3日, 2024年05月03号, 20240503, Excel serial numbers
// (1900 date system) and timestamps whose date part is used as written.
// Empty input returns the zero time and nil because most dates are
// optional; callers check Required. Errors are *Error with Field "date".
func ParseDate(s string) (time.Time, error) {
	n := Normalize(s)
	if n == "" {
		return time.Time{}, nil
	}
	var t time.Time
	var err error
	if isoDate(n) {
		// The stored form, which every date an import writes arrives in
		// again: spared the regular expressions.
		t, err = ymd(n, n[:4], n[5:7], n[8:])
	} else {
		if m := timestamp.FindStringSubmatch(n); m != nil {
			n = m[1]
		}
		t, err = parseDateText(n)
	}
	if err != nil {
		return time.Time{}, err
	}
	if t.Year() < minYear || t.Year() > maxYear {
		return time.Time{}, fail(FieldDate, CodeRange, n)
	}
	return t, nil
}

// parseDateText tries each accepted form on a normalised string without
// a time part. "2024.5" is a year and month with the day missing, not
// Excel serial 2024 (1905-07-16), so it is rejected.
func parseDateText(n string) (time.Time, error) {
	if m := sepDate.FindStringSubmatch(n); m != nil && m[2] == m[4] {
		return ymd(n, m[1], m[3], m[5])
	}
	if m := hanDate.FindStringSubmatch(n); m != nil {
		return ymd(n, m[1], m[2], m[3])
	}
	if m := compact.FindStringSubmatch(n); m != nil {
		return ymd(n, m[1], m[2], m[3])
	}
	if m := serial.FindStringSubmatch(n); m != nil && !yearMonth.MatchString(n) {
		return excelSerial(n, m[1])
	}
	return time.Time{}, fail(FieldDate, CodeDate, n)
}

// isoDate reports whether n has the form 2006-01-02 (any digits).
func isoDate(n string) bool {
	if len(n) != 10 || n[4] != '-' || n[7] != '-' {
		return false
	}
	for i := range len(n) {
		if i != 4 && i != 7 && (n[i] < '0' || n[i] > '9') {
			return false
		}
	}
	return true
}

// ymd builds a date from decimal parts and rejects impossible ones such
// as 2023-02-29 instead of letting time.Date roll them over.
func ymd(orig, ys, ms, ds string) (time.Time, error) {
	y, _ := strconv.Atoi(ys)
	m, _ := strconv.Atoi(ms)
	d, _ := strconv.Atoi(ds)
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, fail(FieldDate, CodeDate, orig)
	}
	return t, nil
}

// excelSerial converts the whole-day part of an Excel serial number.
// Excel counts 1900-01-01 as 1 and wrongly believes 1900-02-29 existed
// (serial 60), so serial 60 is rejected and later serials shift by one.
func excelSerial(orig, days string) (time.Time, error) {
	n, _ := strconv.Atoi(days)
	if n < 1 || n == 60 || n > maxSerial {
		return time.Time{}, fail(FieldDate, CodeDate, orig)
	}
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if n < 60 {
		base = base.AddDate(0, 0, 1)
	}
	return base.AddDate(0, 0, n), nil
}

// FormatDate writes t as "2006-01-02", the form the store and ledgers
// use; the zero time, meaning unknown, becomes "".
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// AddMonths adds n calendar months, clamping to the last day of the
// target month (Jan 31 + 1 month = Feb 28 or 29), which is how measure
// end dates and test schedules are counted; time.AddDate would roll over
// into the next month instead.
func AddMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, t.Location())
	if last := daysIn(first); d > last {
		d = last
	}
	hh, mm, ss := t.Clock()
	return time.Date(first.Year(), first.Month(), d, hh, mm, ss, t.Nanosecond(), t.Location())
}

// daysIn returns the number of days in t's month.
func daysIn(t time.Time) int {
	return time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
