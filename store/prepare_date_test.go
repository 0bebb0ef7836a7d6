package store

import (
	"testing"

	"rehabdesk/store/valid"
)

// A date written as the store writes it is kept as given, and any other
// spelling is rewritten: the shortcut must agree with formatting the date.
func TestIsFormattedAgreesWithFormatDate(t *testing.T) {
	for _, v := range []string{"2024-03-05", "2024-3-5", "2024/03/05", "2024.03.05", "20240305",
		"2024年3月5日", "1999-12-31", "2024-02-29", "0999-01-01", "2024-03-05 "} {
		d, err := valid.ParseDate(v)
		if err != nil {
			continue
		}
		if got, want := isFormatted(v, d), valid.FormatDate(d) == v; got != want {
			t.Errorf("isFormatted(%q, %v) = %v, want %v", v, d, got, want)
		}
	}
	f := Field{Name: "start_date", Type: TypeDate}
	for v, want := range map[string]string{"2024-03-05": "2024-03-05", "2024/3/5": "2024-03-05"} {
		if got, err := (&Store{}).normalize(f, v); err != nil || got != want {
			t.Errorf("normalize(%q) = %q, %v; want %q", v, got, err, want)
		}
	}
}
