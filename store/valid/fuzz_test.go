package valid_test

import (
	"errors"
	"testing"
	"time"

	"rehabdesk/store/valid"
)

// knownCodes are the codes a parser may report.
var knownCodes = map[string]bool{
	valid.CodeRequired: true, valid.CodeIDLength: true, valid.CodeIDChars: true,
	valid.CodeIDRegion: true, valid.CodeIDBirth: true, valid.CodeIDChecksum: true,
	valid.CodeIDScientific: true, valid.CodePhone: true, valid.CodeDate: true,
	valid.CodeName: true, valid.CodeTooLong: true, valid.CodeRange: true,
}

// checkError fails unless err is a *valid.Error for field with a known code.
func checkError(t *testing.T, err error, field string) {
	t.Helper()
	var ve *valid.Error
	if !errors.As(err, &ve) || ve.Field != field || !knownCodes[ve.Code] {
		t.Fatalf("error %v (%T) is not a *valid.Error for %s with a known code", err, err, field)
	}
}

func FuzzParseID(f *testing.F) {
	for _, s := range []string{
		mkID("52010219900101123"), "11010519491231002x", "520102900101123",
		fullWidth(mkID("52262720000229042")), "5.20102E+17", "520102199001011000.0",
		"520102199001011000", "", "X", "52010220230229123X", "'" + mkID("52262719850101004"),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := valid.ParseID(s, today)
		if err != nil {
			checkError(t, err, valid.FieldID)
			return
		}
		checkIDFacts(t, id)
		again, err := valid.ParseID(id.Number, today)
		if err != nil || again.Number != id.Number || !again.Birth.Equal(id.Birth) ||
			again.Male != id.Male || again.Region != id.Region {
			t.Fatalf("re-parsing %q gave %+v, %v; want %+v", id.Number, again, err, id)
		}
	})
}

// checkIDFacts verifies an accepted ID independently of the parser.
func checkIDFacts(t *testing.T, id valid.ID) {
	t.Helper()
	n := id.Number
	if len(n) != 18 || isoCheck(n) != n[17] {
		t.Fatalf("accepted %q whose check digit does not verify", n)
	}
	birth, err := time.Parse("20060102", n[6:14])
	if err != nil || !birth.Equal(id.Birth) || birth.After(today) || birth.Year() < 1900 {
		t.Fatalf("accepted %q with birth %v", n, id.Birth)
	}
	if id.Region != n[:6] || id.Male != ((n[16]-'0')%2 == 1) {
		t.Fatalf("accepted %q with region %q male %v", n, id.Region, id.Male)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"2024-05-03", "2024-5-3", "2024.5.3", "2024/05/03", "2024年5月3日", "2024年05月03号",
		"20240503", "２０２４－０５－０３", "45415", "45415.5", "1", "59", "60", "61",
		"2024-05-03 00:00:00", "2024-05-03T10:00:00+08:00", "2023-02-29", "2024.5", "", " ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := valid.ParseDate(s)
		if err != nil {
			checkError(t, err, valid.FieldDate)
			return
		}
		if d.IsZero() {
			if valid.Normalize(s) != "" {
				t.Fatalf("ParseDate(%q) returned the zero time without error", s)
			}
			return
		}
		if d.Location() != time.UTC || d.Hour()+d.Minute()+d.Second()+d.Nanosecond() != 0 {
			t.Fatalf("ParseDate(%q) = %v, not UTC midnight", s, d)
		}
		for _, again := range []string{valid.FormatDate(d), valid.Normalize(s)} {
			if d2, err := valid.ParseDate(again); err != nil || !d2.Equal(d) {
				t.Fatalf("ParseDate(%q) = %v, %v; want %v (from %q)", again, d2, err, d, s)
			}
		}
	})
}

func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{
		"13812345678", "+86 138 1234 5678", "0851-86661234", "(0851)8666-1234",
		"0851-86661234-123", "0851-86661234转123", "86661234", "", "+86 10 62345678",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := valid.ParsePhone(s)
		if err != nil {
			checkError(t, err, valid.FieldPhone)
			return
		}
		if p2, err := valid.ParsePhone(p); err != nil || p2 != p {
			t.Fatalf("ParsePhone(%q) = %q, %v; not stable from %q", p, p2, err, s)
		}
	})
}

func FuzzParseName(f *testing.F) {
	for _, s := range []string{"张三", " 张\u3000三 ", "阿依古丽•买买提", "𠀀", "Maria  Lopez", "张三1", "·"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := valid.ParseName(s)
		if err != nil {
			checkError(t, err, valid.FieldName)
			return
		}
		if n2, err := valid.ParseName(n); err != nil || n2 != n {
			t.Fatalf("ParseName(%q) = %q, %v; not stable from %q", n, n2, err, s)
		}
	})
}
