package valid_test

import (
	"testing"
	"time"

	"rehabdesk/store/valid"
)

func TestParseDateValid(t *testing.T) {
	may3 := date(2024, 5, 3)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2024-05-03", may3},
		{"2024-5-3", may3},
		{"2024.5.3", may3},
		{"2024.05.03", may3},
		{"2024/05/03", may3},
		{"2024/5/3", may3},
		{"2024年5月3日", may3},
		{"2024年05月03号", may3},
		{"2024年5月3", may3},
		{"20240503", may3},
		{fullWidth("2024-05-03"), may3},
		{"２０２４年５月３日", may3},
		{" \u30002024-05-03\u00a0 ", may3},
		{"2024-05-03 00:00:00", may3},
		{"2024/5/3 8:05", may3},
		{"2024-05-03T23:59:59Z", may3},
		{"2024-05-03T00:30:00+08:00", may3},
		{"2024-05-03T10:20:30.123-0700", may3},
		{"45415", may3},
		{"45415.75", may3},
		{"45415.0", may3},
		{"1", date(1900, 1, 1)},
		{"59", date(1900, 2, 28)},
		{"61", date(1900, 3, 1)},
		{"2958465", date(9999, 12, 31)},
		{"2024-02-29", date(2024, 2, 29)},
		{"2000-2-29", date(2000, 2, 29)},
		{"1900-01-01", date(1900, 1, 1)},
	}
	for _, tt := range tests {
		got, err := valid.ParseDate(tt.in)
		if err != nil || !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("ParseDate(%q) = %v, %v; want %v UTC", tt.in, got, err, tt.want)
		}
	}
}

func TestParseDateEmpty(t *testing.T) {
	for _, in := range []string{"", "  ", "\u3000"} {
		got, err := valid.ParseDate(in)
		if err != nil || !got.IsZero() {
			t.Errorf("ParseDate(%q) = %v, %v; want zero, nil", in, got, err)
		}
	}
}

func TestParseDateInvalid(t *testing.T) {
	tests := []struct{ in, code string }{
		{"2023-02-29", valid.CodeDate},
		{"1900-02-29", valid.CodeDate},
		{"2024-04-31", valid.CodeDate},
		{"2024-13-01", valid.CodeDate},
		{"2024-00-10", valid.CodeDate},
		{"2024-05-00", valid.CodeDate},
		{"2024年2月30日", valid.CodeDate},
		{"20230229", valid.CodeDate},
		{"20241301", valid.CodeDate},
		{"2024-05/03", valid.CodeDate},
		{"2024-5", valid.CodeDate},
		{"2024.5", valid.CodeDate},
		{"2024.12", valid.CodeDate},
		{"24-5-3", valid.CodeDate},
		{"5/3/2024", valid.CodeDate},
		{"May 3, 2024", valid.CodeDate},
		{"abc", valid.CodeDate},
		{"0", valid.CodeDate},
		{"60", valid.CodeDate},
		{"60.5", valid.CodeDate},
		{"2958466", valid.CodeDate},
		{"123456789", valid.CodeDate},
		{"-1", valid.CodeDate},
		{"45415.", valid.CodeDate},
		{"2024-05-03 25:00", valid.CodeDate},
		{"1899-12-31", valid.CodeRange},
		{"0000-01-01", valid.CodeRange},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := valid.ParseDate(tt.in)
			wantCode(t, err, valid.FieldDate, tt.code)
			if !got.IsZero() {
				t.Fatalf("time = %v on error, want zero", got)
			}
		})
	}
}

func TestFormatDate(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Time{}, ""},
		{date(2024, 5, 3), "2024-05-03"},
		{time.Date(2024, 5, 3, 23, 59, 0, 0, shanghai), "2024-05-03"},
		{date(1900, 1, 1), "1900-01-01"},
	}
	for _, tt := range tests {
		if got := valid.FormatDate(tt.in); got != tt.want {
			t.Errorf("FormatDate(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestAddMonths(t *testing.T) {
	tests := []struct {
		in   time.Time
		n    int
		want time.Time
	}{
		{date(2024, 1, 31), 1, date(2024, 2, 29)},
		{date(2023, 1, 31), 1, date(2023, 2, 28)},
		{date(2024, 3, 31), -1, date(2024, 2, 29)},
		{date(2024, 5, 31), 1, date(2024, 6, 30)},
		{date(2024, 12, 15), 1, date(2025, 1, 15)},
		{date(2024, 1, 15), -1, date(2023, 12, 15)},
		{date(2024, 2, 29), 12, date(2025, 2, 28)},
		{date(2024, 2, 29), 36, date(2027, 2, 28)},
		{date(2024, 2, 29), 48, date(2028, 2, 29)},
		{date(2024, 5, 3), 0, date(2024, 5, 3)},
		{time.Date(2024, 1, 31, 9, 30, 0, 0, time.Local), 1, time.Date(2024, 2, 29, 9, 30, 0, 0, time.Local)},
	}
	for _, tt := range tests {
		if got := valid.AddMonths(tt.in, tt.n); !got.Equal(tt.want) {
			t.Errorf("AddMonths(%v, %d) = %v, want %v", tt.in, tt.n, got, tt.want)
		}
	}
}
