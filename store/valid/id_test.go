package valid_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"rehabdesk/store/valid"
)

func TestIsoCheckKnownNumber(t *testing.T) {
	// The sample number printed in GB 11643-1999 itself.
	if got := mkID("11010519491231002"); got != "11010519491231002X" {
		t.Fatalf("mkID = %s, want 11010519491231002X", got)
	}
}

func TestParseIDValid(t *testing.T) {
	male1990 := mkID("52010219900101123")
	leap := mkID("52262720000229042")
	tests := []struct {
		name, in, number, region string
		birth                    time.Time
		male                     bool
	}{
		{"plain", male1990, male1990, "520102", date(1990, 1, 1), true},
		{"leap day female", leap, leap, "522627", date(2000, 2, 29), false},
		{"standard sample X", "11010519491231002X", "11010519491231002X", "110105", date(1949, 12, 31), false},
		{"lower-case x", "11010519491231002x", "11010519491231002X", "110105", date(1949, 12, 31), false},
		{"full-width", fullWidth(leap), leap, "522627", date(2000, 2, 29), false},
		{"spaces and NBSP", "\u3000520102 19900101 " + male1990[14:] + "\u00a0", male1990, "520102", date(1990, 1, 1), true},
		{"Excel text apostrophe", "'" + male1990, male1990, "520102", date(1990, 1, 1), true},
		{"born today", mkID("52262720250615001"), mkID("52262720250615001"), "522627", date(2025, 6, 15), true},
		{"first allowed day", mkID("81000019000101002"), mkID("81000019000101002"), "810000", date(1900, 1, 1), false},
		{"legacy 15 digits", "520102900101123", male1990, "520102", date(1990, 1, 1), true},
		{"legacy 15 full-width", fullWidth("522627960229042"), mkID("52262719960229042"), "522627", date(1996, 2, 29), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := valid.ParseID(tt.in, today)
			wantCode(t, err, "", "")
			if id.Number != tt.number || id.Region != tt.region || id.Male != tt.male || !id.Birth.Equal(tt.birth) {
				t.Fatalf("ParseID(%q) = %+v, want %s %s %v male=%v", tt.in, id, tt.number, tt.region, tt.birth, tt.male)
			}
			if id.Birth.Location() != time.UTC {
				t.Fatalf("birth location = %v, want UTC", id.Birth.Location())
			}
		})
	}
}

func TestParseIDInvalid(t *testing.T) {
	tests := []struct{ name, in, code string }{
		{"empty", " \u3000", valid.CodeRequired},
		{"wrong check digit", wrongCheck("52010219900101123"), valid.CodeIDChecksum},
		{"wrong check X", wrongCheck("52262719850101004")[:17] + "X", valid.CodeIDChecksum},
		{"17 digits", "52010219900101123", valid.CodeIDLength},
		{"19 digits", "5201021990010112341", valid.CodeIDLength},
		{"16 digits", "5201021990010112", valid.CodeIDLength},
		{"letter inside", "52010219900A011234", valid.CodeIDChars},
		{"X not last", "5201021990010112X4", valid.CodeIDChars},
		{"15 digits with X", "52010290010112X", valid.CodeIDChars},
		{"hyphen", "520102-19900101-1234", valid.CodeIDChars},
		{"province 99", mkID("99010219900101123"), valid.CodeIDRegion},
		{"province 00", mkID("00010219900101123"), valid.CodeIDRegion},
		{"province 72", mkID("72010219900101123"), valid.CodeIDRegion},
		{"future birth", mkID("52010220300101123"), valid.CodeIDBirth},
		{"tomorrow", mkID("52010220250616123"), valid.CodeIDBirth},
		{"before 1900", mkID("52010218991231123"), valid.CodeIDBirth},
		{"Feb 29 non-leap", mkID("52010220230229123"), valid.CodeIDBirth},
		{"Feb 29 1900", mkID("52010219000229123"), valid.CodeIDBirth},
		{"month 13", mkID("52010219901301123"), valid.CodeIDBirth},
		{"day 00", mkID("52010219900100123"), valid.CodeIDBirth},
		{"legacy Feb 30", "520102900230123", valid.CodeIDBirth},
		{"legacy 1900 Feb 29", "522627000229042", valid.CodeIDBirth},
		{"scientific", "5.20102E+17", valid.CodeIDScientific},
		{"scientific long", "5.20102199001E+17", valid.CodeIDScientific},
		{"scientific lower", "5.20102199001e17", valid.CodeIDScientific},
		{"float text", "520102199001011000.0", valid.CodeIDScientific},
		{"full-width scientific", fullWidth("5.20102E+17"), valid.CodeIDScientific},
		{"zeroed by Excel", "520102199001011000", valid.CodeIDScientific},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := valid.ParseID(tt.in, today)
			wantCode(t, err, valid.FieldID, tt.code)
		})
	}
}

func TestZeroedFixtureHasBadCheck(t *testing.T) {
	// Guards the "zeroed by Excel" case above: it must not be valid.
	if isoCheck("52010219900101100") == '0' {
		t.Fatal("fixture 520102199001011000 is a valid ID; pick another")
	}
}

func TestScientificMessage(t *testing.T) {
	_, err := valid.ParseID("5.20102E+17", today)
	if err == nil || !strings.Contains(err.Error(), "stored the ID as a number") {
		t.Fatalf("error = %v, want a message about the ledger storing a number", err)
	}
}

func TestCheckDigitMatchesISO(t *testing.T) {
	for _, body := range []string{"52010219900101123", "52262720000229042", "11010519491231002", "00000000000000000"} {
		if got, want := valid.CheckDigit(body), isoCheck(body); got != want {
			t.Errorf("CheckDigit(%s) = %c, want %c", body, got, want)
		}
	}
}

func TestMaskID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"520102199001011234", "5201**********1234"},
		{"11010519491231002X", "1101**********002X"},
		{"520102900101123", "5201*******1123"},
		{"123456789", "1234*6789"},
		{"12345678", "********"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := valid.MaskID(tt.in); got != tt.want {
			t.Errorf("MaskID(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseIDProvinces(t *testing.T) {
	ok := map[string]bool{}
	for _, p := range strings.Fields("11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82") {
		ok[p] = true
	}
	for i := range 100 {
		p := fmt.Sprintf("%02d", i)
		_, err := valid.ParseID(mkID(p+"010219900101123"), today)
		if ok[p] {
			wantCode(t, err, "", "")
		} else {
			wantCode(t, err, valid.FieldID, valid.CodeIDRegion)
		}
	}
}
