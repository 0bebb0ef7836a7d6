package rules

import (
	"fmt"
	"testing"

	"rehabdesk/store"
)

// yearTown is a township for the 2016 targets: 100 persons first found in
// 2010, of whom 10 tested positive in 2015 (one of them twice) and
// positives2016 in 2016, plus new2016 persons first found in 2016 and one
// person with no first-found date who tested positive in 2016.
func yearTown(positives2016, new2016 int) *Data {
	town := &Data{Township: "520102016"}
	for i := range 100 {
		p := &Person{ID: fmt.Sprint("p", i), FirstFound: d("2010-01-01"), Current: -1}
		if i < 10 {
			p.Tests = append(p.Tests, Test{Date: d("2015-04-01"), Result: "positive"})
		}
		if i == 0 {
			p.Tests = append(p.Tests, Test{Date: d("2015-06-01"), Result: "positive"})
		}
		if i >= 50 && i < 50+positives2016 {
			p.Tests = append(p.Tests, Test{Date: d("2016-05-01"), Result: "positive"},
				Test{Date: d("2016-02-01"), Result: "negative"})
		}
		town.Persons = append(town.Persons, p)
	}
	for i := range new2016 {
		town.Persons = append(town.Persons, &Person{ID: fmt.Sprint("n", i), FirstFound: d("2016-07-01"), Current: -1})
	}
	town.Persons = append(town.Persons, &Person{ID: "undated", Current: -1,
		Tests: []Test{{Date: d("2016-03-01"), Result: "positive"}}})
	return town
}

// 2015: 10 found of 100 on file = 10.0%. 2016: the 100 are the base again
// (new persons of 2016 are found, not base), so 15 found is 15.0%, exactly
// 5 points up: met; one person fewer is 4 points: missed.
func TestDetectionTargetAtAndBelowThreshold(t *testing.T) {
	for _, tc := range []struct {
		positives, new int
		now, change    string
		verdict        Verdict
	}{
		{10, 5, "15.0", "+5.0", Met},
		{10, 4, "14.0", "+4.0", Missed},
		{16, 0, "16.0", "+6.0", Met},
		{5, 0, "5.0", "-5.0", Missed},
	} {
		f := YearFiguresOf(yearTown(tc.positives, tc.new), d("2016-12-31"))
		if f.Base != 100 || f.PrevBase != 100 || f.PrevFound != 10 || f.NoFirstFound != 1 {
			t.Fatalf("figures %+v", f)
		}
		got := f.DetectionTarget(5)
		if got.Now != tc.now || got.Before != "10.0" || got.Change != tc.change || got.Verdict != tc.verdict {
			t.Errorf("%d positives, %d new: got %+v", tc.positives, tc.new, got)
		}
	}
}

// A report of October compares January–October with January–October of the
// year before: events of November and December 2015 do not count.
func TestDetectionYearToDate(t *testing.T) {
	town := yearTown(10, 5)
	town.Persons[20].Tests = []Test{{Date: d("2015-11-15"), Result: "positive"}}
	town.Persons[0].Tests = []Test{{Date: d("2015-12-20"), Result: "positive"}}
	f := YearFiguresOf(town, d("2016-10-31"))
	if f.PrevFound != 9 || f.Found != 15 {
		t.Fatalf("figures %+v", f)
	}
}

// With nobody on file before 2015 there is no 2015 rate: no verdict.
func TestDetectionZeroBaseYear(t *testing.T) {
	town := &Data{Persons: []*Person{
		{ID: "a", FirstFound: d("2015-03-01")},
		{ID: "b", FirstFound: d("2016-03-01")},
	}}
	f := YearFiguresOf(town, d("2016-12-31"))
	if f.PrevBase != 0 || f.Base != 1 || f.Found != 1 || f.PrevFound != 1 {
		t.Fatalf("figures %+v", f)
	}
	if got := f.DetectionTarget(5); got.Verdict != NoBase || got.Before != "-" || got.Change != "-" {
		t.Fatalf("got %+v", got)
	}
}

// handovers makes a township whose measures ended by handover to the police:
// before in 2015, now in 2016, and one with no end date.
func handovers(before, now int) *Data {
	town := &Data{}
	add := func(end string) {
		town.Persons = append(town.Persons, &Person{ID: fmt.Sprint(len(town.Persons)), Current: 0,
			Measures: []Measure{{Type: "detox", Status: "handed_over", End: ParseDay(end)}, {Type: "detox", Status: "completed", End: ParseDay(end)}}})
	}
	for range before {
		add("2015-09-30")
	}
	for range now {
		add("2016-09-30")
	}
	add("")
	return town
}

// 5 handovers in 2015: 6 in 2016 is exactly +20%, met; 5 is +0%, missed;
// none in 2015 is no base figure.
func TestCompulsoryTarget(t *testing.T) {
	for _, tc := range []struct {
		before, now int
		change      string
		verdict     Verdict
	}{
		{5, 6, "+20.0", Met},
		{5, 5, "+0.0", Missed},
		{5, 4, "-20.0", Missed},
		{0, 3, "-", NoBase},
	} {
		f := YearFiguresOf(handovers(tc.before, tc.now), d("2016-12-31"))
		if f.Compulsory != tc.now || f.PrevCompulsory != tc.before || f.NoEndDate != 1 {
			t.Fatalf("figures %+v", f)
		}
		got := f.CompulsoryTarget(20)
		if got.Change != tc.change || got.Verdict != tc.verdict {
			t.Errorf("%d → %d: got %+v", tc.before, tc.now, got)
		}
	}
}

// A change just under the target must not be shown as reaching it: 1199
// handovers after 1000 is +19.9%, not +20.0%.
func TestChangeRoundsDown(t *testing.T) {
	for _, tc := range []struct {
		num, den int64
		want     string
	}{
		{1950, 100, "+19.5"}, {19990, 1000, "+19.9"}, {2000, 100, "+20.0"},
		{-250, 100, "-2.5"}, {-100, 300, "-0.4"}, {0, 7, "+0.0"},
	} {
		if got := signedTenths(tc.num, tc.den); got != tc.want {
			t.Errorf("%d/%d = %s, want %s", tc.num, tc.den, got, tc.want)
		}
	}
	f := YearFigures{Compulsory: 1199, PrevCompulsory: 1000}
	if got := f.CompulsoryTarget(20); got.Change != "+19.9" || got.Verdict != Missed {
		t.Fatalf("got %+v", got)
	}
}

func TestYearToDateMonthEnds(t *testing.T) {
	for _, tc := range []struct{ through, prevThrough, from, prevFrom string }{
		{"2016-12-31", "2015-12-31", "2016-01-01", "2015-01-01"},
		{"2028-02-29", "2027-02-28", "2028-01-01", "2027-01-01"},
		{"2029-02-28", "2028-02-29", "2029-01-01", "2028-01-01"},
		{"2026-06-15", "2025-06-15", "2026-01-01", "2025-01-01"},
	} {
		p := YearToDate(d(tc.through))
		if p.PrevThrough != d(tc.prevThrough) || p.From != d(tc.from) || p.PrevFrom != d(tc.prevFrom) {
			t.Errorf("%s: got %v %v %v", tc.through, p.From, p.PrevFrom, p.PrevThrough)
		}
	}
}

// The defaults are the seed document's: +5 points, +20 percent.
func TestYearTargetDefaults(t *testing.T) {
	th := DefaultThresholds()
	if th.DetectionGain != 5 || th.CompulsoryGain != 20 {
		t.Fatalf("got %d, %d", th.DetectionGain, th.CompulsoryGain)
	}
}

// Police figures are read from their settings; other settings and unusable
// values are not police figures.
func TestPoliceFigures(t *testing.T) {
	set := func(k, v string) *store.Record {
		return &store.Record{Kind: store.KindSetting, Fields: map[string]string{"key": k, "value": v}}
	}
	p := PoliceFiguresFrom([]*store.Record{
		set("rules.police_found_2016", "120"), set("rules.police_registered_2016", "800"),
		set("rules.police_found_2015", "80"), set("rules.police_registered_2015", "800"),
		set("rules.police_compulsory_2016", "12"), set("rules.police_compulsory_2015", "-1"),
		set("rules.police_found_16", "1"), set("rules.report_in_days", "15"), set("report.2016-12", "{}"),
	})
	f, detection, compulsory := p.Year(2016)
	if !detection || compulsory || f.Found != 120 || f.PrevBase != 800 || f.Compulsory != 12 {
		t.Fatalf("%+v %v %v", f, detection, compulsory)
	}
	// 15.0% against 10.0%: +5.0 points, met exactly.
	if got := f.DetectionTarget(5); got.Change != "+5.0" || got.Verdict != Met {
		t.Errorf("got %+v", got)
	}
	if _, d, _ := p.Year(2017); d {
		t.Error("2017 has no figures")
	}
	for name, want := range map[string]bool{"police_found_2016": true, "police_compulsory_1999": true,
		"police_found_16": false, "police_arrests_2016": false, "report_in_days": false} {
		if IsPoliceFigure(name) != want {
			t.Errorf("IsPoliceFigure(%q) = %v", name, !want)
		}
	}
}

// Imported ledgers carry no first-found date, only measures. Such a person
// is dated by their earliest measure — the decision's receipt, else its
// start — and counted apart; one without any dated measure is left out.
func TestDetectionDatesLedgerPersonsByEarliestMeasure(t *testing.T) {
	town := &Data{Persons: []*Person{
		// found 2014 by decision receipt, a later measure in 2016 changes nothing
		{ID: "old", Measures: []Measure{{Start: d("2016-04-01")}, {Received: d("2014-05-01"), Start: d("2014-05-10")}}},
		// no receipt: the start of 2016 dates them
		{ID: "new", Measures: []Measure{{Start: d("2016-02-01")}}},
		// dated 2015 by receipt though the measure started in 2016
		{ID: "late", Measures: []Measure{{Received: d("2015-12-20"), Start: d("2016-01-04")}}},
		{ID: "undated", Measures: []Measure{{Type: "detox"}}},
		{ID: "recorded", FirstFound: d("2016-03-01"), Measures: []Measure{{Received: d("2010-01-01")}}},
	}}
	f := YearFiguresOf(town, d("2016-12-31"))
	want := YearFigures{Found: 2, Base: 2, PrevFound: 1, PrevBase: 1, NoFirstFound: 1, DatedByMeasure: 3}
	if f != want {
		t.Fatalf("got %+v, want %+v", f, want)
	}
}
