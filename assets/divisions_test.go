package assets

import (
	"slices"
	"strings"
	"testing"
)

func TestDivisionCounts(t *testing.T) {
	counties := Counties()
	var townships, villages int
	for _, c := range counties {
		ts := Townships(c.Code)
		townships += len(ts)
		for _, tw := range ts {
			villages += len(Villages(tw.Code))
		}
	}
	// Counts from divisions/SOURCE.md; every township and village hangs off a
	// known parent, so walking down from the counties reaches all of them.
	if len(counties) != 88 || townships != 1510 || villages != 17964 {
		t.Errorf("got %d counties, %d townships, %d villages; want 88, 1510, 17964",
			len(counties), townships, villages)
	}
}

func TestDivisionsSortedAndWellFormed(t *testing.T) {
	counties := Counties()
	checkLevel(t, counties, 6, "52")
	for _, c := range counties {
		ts := Townships(c.Code)
		checkLevel(t, ts, 9, c.Code)
		for _, tw := range ts {
			checkLevel(t, Villages(tw.Code), 12, tw.Code)
		}
	}
}

// checkLevel checks that ds is sorted by code, each code has codeLen digits
// and starts with prefix, each parent is a prefix of the code, and each has
// a name.
func checkLevel(t *testing.T, ds []Division, codeLen int, prefix string) {
	t.Helper()
	if !slices.IsSortedFunc(ds, byCode) {
		t.Errorf("divisions under %s not sorted by code", prefix)
	}
	for _, d := range ds {
		if len(d.Code) != codeLen || !allDigits(d.Code) || !strings.HasPrefix(d.Code, prefix) {
			t.Errorf("%+v: want a %d-digit code under %s", d, codeLen, prefix)
		}
		if d.Name == "" || !strings.HasPrefix(d.Code, d.Parent) {
			t.Errorf("%+v: want a name and a parent that prefixes the code", d)
		}
	}
}

func TestKnownDivisions(t *testing.T) {
	tests := []struct {
		name   string
		lookup func(string) (Division, bool)
		want   Division
	}{
		{"county", County, Division{"520102", "南明区", "5201"}},
		{"township", Township, Division{"520102016", "新华路街道", "520102"}},
		{"village", Village, Division{"520102016001", "纪念塔社区", "520102016"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.lookup(tt.want.Code)
			if !ok || got != tt.want {
				t.Errorf("lookup(%q) = %+v, %v; want %+v, true", tt.want.Code, got, ok, tt.want)
			}
		})
	}
}

func TestUnknownDivisions(t *testing.T) {
	tests := []struct {
		name   string
		lookup func(string) (Division, bool)
		code   string
	}{
		{"county not in Guizhou", County, "110101"},
		{"township code given to County", County, "520102016"},
		{"county code given to Township", Township, "520102"},
		{"unknown township", Township, "520102999"},
		{"village code given to Township", Township, "520102016001"},
		{"unknown village", Village, "520102016999"},
		{"empty", Village, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, ok := tt.lookup(tt.code); ok {
				t.Errorf("lookup(%q) = %+v, true; want false", tt.code, got)
			}
		})
	}
}

func TestChildrenOfUnknownParent(t *testing.T) {
	if got := Townships("520199"); got != nil {
		t.Errorf("Townships(unknown) = %v; want nil", got)
	}
	if got := Villages("520102"); got != nil {
		t.Errorf("Villages(county code) = %v; want nil", got)
	}
}

func TestTownshipsOfKnownCounty(t *testing.T) {
	ts := Townships("520102")
	if !slices.Contains(ts, Division{"520102016", "新华路街道", "520102"}) {
		t.Errorf("Townships(520102) lacks 新华路街道: %v", ts)
	}
}

func TestResultsAreCopies(t *testing.T) {
	Counties()[0].Name = "changed"
	Townships("520102")[0].Name = "changed"
	if Counties()[0].Name == "changed" || Townships("520102")[0].Name == "changed" {
		t.Error("a caller's change to a returned slice reached the shared table")
	}
}

func TestCountyOf(t *testing.T) {
	tests := map[string]string{
		"520102016":    "520102",
		"520102999":    "520102", // newer than the list: still nests by prefix
		"520102":       "",
		"520102016001": "",
		"52010201x":    "",
		"":             "",
	}
	for code, want := range tests {
		if got := CountyOf(code); got != want {
			t.Errorf("CountyOf(%q) = %q; want %q", code, got, want)
		}
	}
	for _, c := range Counties() {
		for _, tw := range Townships(c.Code) {
			if got := CountyOf(tw.Code); got != c.Code {
				t.Fatalf("CountyOf(%q) = %q; want %q", tw.Code, got, c.Code)
			}
		}
	}
}

// BenchmarkLoadDivisions measures the one-time parse that the first lookup
// pays, for example when the township picker first opens.
func BenchmarkLoadDivisions(b *testing.B) {
	for b.Loop() {
		loadDivisions()
	}
}

// Name finds a code's name at any of the three levels, and gives back a
// code the bundled list lacks, so that nothing shows blank.
func TestNameOfEveryLevel(t *testing.T) {
	town := Townships("520102")[0]
	village := Villages(town.Code)[0]
	county, _ := County("520102")
	for code, want := range map[string]string{county.Code: county.Name, town.Code: town.Name, village.Code: village.Name,
		"520102999999": "520102999999", "": ""} {
		if got := Name(code); got != want {
			t.Errorf("Name(%q) = %q, want %q", code, got, want)
		}
	}
}
