package report

import (
	"context"
	"testing"
	"time"

	"rehabdesk/assets"
	"rehabdesk/store"
	"rehabdesk/store/rules"
)

// flagsOfX are the flags 张三 has from September and loses in November.
var flagsOfX = map[string]string{"poverty": "1", "dibao": "1", "medical_aid": "1", "ill_disabled": "1",
	"methadone": "1", "methadone_start": "2026-05-01", "willing_to_work": "1"}

// flagRows are the report rows the flags count in, with the count of a
// person who has them all (employed, in a measure).
var flagRows = []string{"poverty", "dibao", "medical_aid", "ill_disabled", "methadone", "able_willing", "placed_willing"}

// twoFlagPersons makes 张三 (纪念塔, every flag since September) and 李四
// (新华路, none), both in 社区戒毒 since August and placed; on November 12
// 张三's flags are cleared and 李四's set.
func twoFlagPersons(t *testing.T) *fixture {
	f := emptyFixture(t, "2026-09-05 09:00")
	x := map[string]string{"name": "张三", "id_number": "52010219900101123X", "village": v1, "employment": "farming"}
	for k, v := range flagsOfX {
		x[k] = v
	}
	xid := f.person(x, map[string]string{"type": "detox", "received_date": "2026-08-01", "report_in_date": "2026-08-02", "status": "active"})
	yid := f.person(map[string]string{"name": "李四", "id_number": "520102198505052348", "village": v2, "employment": "farming"},
		map[string]string{"type": "detox", "received_date": "2026-08-01", "report_in_date": "2026-08-02", "status": "active"})
	f.clk.at("2026-11-12 10:00")
	cleared := map[string]string{}
	for k := range flagsOfX {
		cleared[k] = ""
	}
	f.put(store.KindPerson, xid, cleared)
	f.put(store.KindPerson, yid, flagsOfX)
	return f
}

// A flag set in November does not count in October, and one cleared in
// November still does: each month takes the flags as they stood at its
// end, not the file's current values.
func TestPersonFlagsCountAsOfTheMonthsEnd(t *testing.T) {
	f := twoFlagPersons(t)
	f.clk.at("2026-12-02 10:00")
	oct, nov := generate(t, f.s, "2026-10"), generate(t, f.s, "2026-11")
	for _, c := range []struct {
		month   string
		r       *Monthly
		village string
		want    int
		why     string
	}{
		{"2026-10", oct, v1, 1, "张三's flags were cleared only on Nov 12"},
		{"2026-10", oct, v2, 0, "李四's flags were set only on Nov 12"},
		{"2026-11", nov, v1, 0, "cleared Nov 12"},
		{"2026-11", nov, v2, 1, "set Nov 12"},
	} {
		row := rowByCode(t, c.r, c.village)
		for _, id := range flagRows {
			if row[id] != c.want {
				t.Errorf("%s %s %s = %d, want %d (%s)", c.month, assets.Name(c.village), id, row[id], c.want, c.why)
			}
		}
	}
}

// A person whose file is made in December, brought in with their flags
// (from a ledger, or typed in late), counts them in October, when their
// measure already ran: what the flags were before the file is unknown,
// and the file is the best account of them.
func TestPersonFlagsBeforeTheFileWasMadeAreTheOnesItWasMadeWith(t *testing.T) {
	f := emptyFixture(t, "2026-12-02 10:00")
	x := map[string]string{"name": "张三", "id_number": "52010219900101123X", "village": v1, "employment": "farming"}
	for k, v := range flagsOfX {
		x[k] = v
	}
	f.person(x, map[string]string{"type": "detox", "received_date": "2026-08-01", "report_in_date": "2026-08-02", "status": "active"})
	oct := generate(t, f.s, "2026-10").Total.Counts
	for _, id := range flagRows {
		if oct[id] != 1 {
			t.Errorf("October %s = %d, want 1", id, oct[id])
		}
	}
}

// October was submitted on November 4 by a version that counted the flags
// as they stood then (a submission with no FlagsAt), after 李四's 低保 was
// typed in on November 3. Upgraded, October is still as submitted, before
// and after flags change in November: its flags are taken when it was
// submitted, not at its end, which would change the 低保 row.
func TestMonthSubmittedBeforeFlagsWereDatedKeepsItsFigures(t *testing.T) {
	f := twoFlagPersons(t) // its clock: November 12, the flags moved
	ctx := context.Background()
	y := personNamed(t, f.s, "李四")
	x := personNamed(t, f.s, "张三")
	f.put(store.KindPerson, x, flagsOfX) // back as in October
	f.put(store.KindPerson, y, map[string]string{"poverty": "", "dibao": "", "medical_aid": "", "ill_disabled": "",
		"methadone": "", "methadone_start": "", "willing_to_work": ""})
	f.clk.at("2026-11-13 10:00")
	f.put(store.KindPerson, y, map[string]string{"dibao": "1"}) // typed after October's end
	f.clk.at("2026-11-14 10:00")
	legacy := legacyReport(t, f.s, "2026-10")
	if legacy.Total.Counts["dibao"] != 2 {
		t.Fatalf("the old reading counts 低保 %d, want 2", legacy.Total.Counts["dibao"])
	}
	if _, err := Submit(ctx, f.s, legacy, f.clk.t); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		r := generate(t, f.s, "2026-10")
		if r.Status != StatusSubmitted || len(r.Changed) != 0 || r.Total.Counts["dibao"] != 2 {
			t.Errorf("%s: October is %s, changed %v, 低保 %d", when, r.Status, r.Changed, r.Total.Counts["dibao"])
		}
	}
	check("upgraded")
	f.clk.at("2026-11-20 10:00")
	f.put(store.KindPerson, x, map[string]string{"dibao": "", "poverty": ""})
	check("after 张三's 低保 and 因毒致贫 are cleared in November")
	if nov := generate(t, f.s, "2026-11").Total.Counts; nov["dibao"] != 1 || nov["poverty"] != 0 {
		t.Errorf("November: 低保 %d 因毒致贫 %d, want 1 and 0", nov["dibao"], nov["poverty"])
	}
}

// legacyReport is a month's report as the version before dated flags made
// it: flags by the files' current values, and no FlagsAt.
func legacyReport(t *testing.T, s *store.Store, month string) *Monthly {
	t.Helper()
	m, err := ParseMonth(month)
	if err != nil {
		t.Fatal(err)
	}
	d, th, err := rules.Load(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	h, err := LoadHistory(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	h.flags = nil
	out := computeAt(d, h, m, th, m.End())
	out.AsOf, out.FlagsAt = s.Now(), time.Time{}
	return out
}

// A month submitted now says when its flags were taken (its end), and
// keeps it: submitted on November 12 after the flags moved, October is
// still as submitted when they move again, its flags those of its end.
func TestSubmissionKeepsWhenItsFlagsWereTaken(t *testing.T) {
	f := twoFlagPersons(t) // its clock: November 12, the flags moved
	oct := generate(t, f.s, "2026-10")
	if _, err := Submit(context.Background(), f.s, oct, f.clk.t); err != nil {
		t.Fatal(err)
	}
	f.clk.at("2026-11-20 10:00")
	f.put(store.KindPerson, personNamed(t, f.s, "张三"), flagsOfX)
	r := generate(t, f.s, "2026-10")
	if r.Status != StatusSubmitted || len(r.Changed) != 0 || rowByCode(t, r, v1)["poverty"] != 1 || rowByCode(t, r, v2)["poverty"] != 0 {
		t.Errorf("October: %s, changed %v, 因毒致贫 by village %d %d (want 1 0)", r.Status, r.Changed,
			rowByCode(t, r, v1)["poverty"], rowByCode(t, r, v2)["poverty"])
	}
}
