package valid

import (
	"time"
	"unicode/utf8"
)

// Required fails with CodeRequired when value is empty after Normalize,
// so a cell holding only spaces counts as empty.
func Required(field, value string) error {
	if Normalize(value) == "" {
		return fail(field, CodeRequired, "")
	}
	return nil
}

// MaxLen fails with CodeTooLong when value has more than n runes; runes,
// not bytes, because Chinese text is three or four bytes per character.
func MaxLen(field, value string, n int) error {
	if utf8.RuneCountInString(value) > n {
		return fail(field, CodeTooLong, value)
	}
	return nil
}

// DateOrder fails with CodeDateOrder when later is before earlier, for
// example a measure ending before it starts. A zero date is not yet known
// and never fails.
func DateOrder(field string, earlier, later time.Time) error {
	if earlier.IsZero() || later.IsZero() || !later.Before(earlier) {
		return nil
	}
	return fail(field, CodeDateOrder, FormatDate(later))
}
