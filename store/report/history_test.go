package report

import (
	"context"
	"errors"
	"testing"

	"rehabdesk/assets"
	"rehabdesk/store"
	"rehabdesk/store/rules"
)

// A person lost in September, found again on October 3 and lost again on
// October 20, and a measure suspended in September and resumed on October
// 6, each by the file's workflow actions: each month counts its own 失联 and 中止 from the dated history, not
// from the person's current state (lost since October 20, not suspended).
func TestLostAndSuspendedCountedByTheirHistoryOverTwoMonths(t *testing.T) {
	f := emptyFixture(t, "2026-09-05 09:00")
	x := f.person(map[string]string{"name": "张三", "id_number": "52010219900101123X", "village": v1, "lost_contact": "2026-09-05"},
		map[string]string{"type": "detox", "received_date": "2026-08-01", "report_in_date": "2026-08-02", "status": "active"})
	y := f.put(store.KindPerson, "", map[string]string{"name": "李四", "id_number": "520102198505052348", "village": v2})
	ym := f.put(store.KindMeasure, "", map[string]string{"person": y, "type": "rehab", "received_date": "2026-06-01",
		"report_in_date": "2026-06-02", "status": "active"})
	ctx := context.Background()
	do := func(now string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", now, err)
		}
	}
	f.clk.at("2026-09-08 10:00")
	do("suspend", f.s.SetMeasureOutcome(ctx, ym, store.DutySuspended, "2026-09-08"))
	f.clk.at("2026-10-03 10:00")
	do("found", f.s.MarkFound(ctx, x, "2026-10-03"))
	f.clk.at("2026-10-06 10:00")
	do("resume", f.s.SetMeasureOutcome(ctx, ym, store.DutyResumed, "2026-10-06"))
	f.clk.at("2026-10-20 10:00")
	do("lost again", f.s.MarkLostContact(ctx, x, "2026-10-20"))
	f.clk.at("2026-10-21 10:00")
	f.put(store.KindPerson, x, map[string]string{"lost_contact": "2026-10-19"}) // the date corrected: the same 失联

	f.clk.at("2026-11-02 10:00")
	sep := generate(t, f.s, "2026-09").Total.Counts
	oct := generate(t, f.s, "2026-10").Total.Counts
	for _, c := range []struct {
		month string
		got   Counts
		id    string
		want  int
		hand  string
	}{
		{"2026-09", sep, "lost_contact", 1, "lost Sep 5, found only on Oct 3"},
		{"2026-09", sep, "lost_contact_new", 1, "lost Sep 5"},
		{"2026-09", sep, "suspended_new", 1, "suspended Sep 8"},
		{"2026-09", sep, "rehab_suspended", 1, "resumed only on Oct 6"},
		{"2026-09", sep, "rehab_active", 0, "suspended on Sep 30"},
		{"2026-10", oct, "lost_contact", 1, "lost again Oct 19"},
		{"2026-10", oct, "lost_contact_new", 1, "one new 失联, its date corrected once"},
		{"2026-10", oct, "suspended_new", 0, "the suspension began in September"},
		{"2026-10", oct, "rehab_suspended", 0, "resumed Oct 6"},
		{"2026-10", oct, "rehab_active", 1, "resumed Oct 6"},
	} {
		if c.got[c.id] != c.want {
			t.Errorf("%s %s = %d, want %d (%s)", c.month, c.id, c.got[c.id], c.want, c.hand)
		}
	}
}

// October is submitted; in November a person counted in it is transferred
// to another township and their file erased from this device. October's
// figures stay as submitted (no 需更正), before and after the erasure;
// November no longer counts them but as a transfer out.
func TestTransferAwayLeavesAClosedMonthAsSubmitted(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	oct := generate(t, f.s, "2026-10")
	if _, err := Submit(ctx, f.s, oct, f.clk.t); err != nil {
		t.Fatal(err)
	}
	j := personNamed(t, f.s, "郑十一")
	f.clk.at("2026-11-06 10:00")
	if err := f.s.StartTransfer(ctx, j, otherTownship, "2026-11-06"); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		r := generate(t, f.s, "2026-10")
		if r.Status != StatusSubmitted || len(r.Changed) != 0 {
			t.Errorf("%s: October is %s, changed %v", when, r.Status, r.Changed)
		}
		sameCounts(t, when+": October", r.Total.Counts, october)
		if n := rowByCode(t, r, v1)["persons"]; n != 4 {
			t.Errorf("%s: 纪念塔社区 counts %d persons in October, want 4 (J among them)", when, n)
		}
	}
	check("before the erasure")
	if err := KeepDeparted(ctx, f.s); err != nil {
		t.Fatal(err)
	}
	if n, err := f.s.PurgeTransferred(ctx, 1<<62); err != nil || n != 2 { // J, and K who left in October
		t.Fatalf("purge: %d %v", n, err)
	}
	if _, err := f.s.Get(ctx, j); !errors.Is(err, store.ErrTransferred) {
		t.Fatalf("J's file after the purge: %v", err)
	}
	check("after the erasure")
	nov := generate(t, f.s, "2026-11").Total.Counts
	if nov["transfers_out"] != 1 || nov["detox_active"] != 2 || nov["emp_farming"] != 0 {
		t.Errorf("November: %v (J left on Nov 6; A and F remain in 社区戒毒)", nov)
	}
}

func personNamed(t *testing.T, s *store.Store, name string) string {
	t.Helper()
	ps, err := s.List(context.Background(), store.KindPerson, store.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Get("name") == name {
			return p.ID
		}
	}
	t.Fatalf("no person %s", name)
	return ""
}

// Every employment value a ledger may hold (the import vocabulary) and
// every code of the form has a row of its own, never "not recorded":
// 务农, 外出务工 and 灵活就业 are how most persons in rural Guizhou work,
// and they count as placed.
func TestEveryEmploymentValueHasItsRow(t *testing.T) {
	oct, err := ParseMonth("2026-10")
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{}
	for label, code := range assets.LedgerValues()["employment"] {
		codes[label] = code
	}
	for _, o := range store.Enums["employment"] {
		codes[o.Label] = o.Code
	}
	for label, code := range codes {
		d := &rules.Data{Township: "520102016", Persons: []*rules.Person{{ID: "p", Employment: code, Current: 0,
			Measures: []rules.Measure{{Type: "detox", Status: "active", Start: rules.ParseDay("2026-03-01")}}}}}
		c := computeAt(d, nil, oct, rules.DefaultThresholds(), oct.End()).Total.Counts
		if c["emp_"+code] != 1 || c["emp_unknown"] != 0 {
			t.Errorf("%s (%s): counted %v", label, code, c)
		}
		if want := b(rules.Placed(code)); c["placed"] != want {
			t.Errorf("%s (%s): placed %d, want %d", label, code, c["placed"], want)
		}
	}
	if len(codes) < 20 {
		t.Errorf("only %d employment values checked", len(codes))
	}
}

// The deadline is a setting (report_deadline_day, by default the 5th):
// set to the 10th, October is still a draft on November 8, on every sheet
// of its workbook, and late on November 11.
func TestDeadlineIsASetting(t *testing.T) {
	f := newFixture(t)
	if err := rules.SetThreshold(context.Background(), f.s, "report_deadline_day", 10); err != nil {
		t.Fatal(err)
	}
	f.clk.at("2026-11-08 09:00")
	if r := generate(t, f.s, "2026-10"); r.Deadline != "2026-11-10" || r.Status != StatusDraft || !r.Draft() {
		t.Errorf("Nov 8 with the deadline on the 10th: deadline %s, %s", r.Deadline, r.Status)
	}
	f.clk.at("2026-11-11 09:00")
	if r := generate(t, f.s, "2026-10"); r.Status != StatusLate {
		t.Errorf("Nov 11: %s, want late", r.Status)
	}
}

// A transfer typed in on November 3 for October 28 counts by its own day:
// in the township left, the person is gone at October's end and a
// transfer out of October, and still counted in September, before and
// after their file is erased.
func TestTransferTypedLaterCountsByItsDayWhereTheyLeft(t *testing.T) {
	f := newFixture(t) // its clock: November 3
	ctx := context.Background()
	if err := f.s.StartTransfer(ctx, personNamed(t, f.s, "郑十一"), otherTownship, "2026-10-28"); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		oct := generate(t, f.s, "2026-10").Total.Counts
		if oct["transfers_out"] != 2 || oct["persons"] != 8 || oct["emp_farming"] != 0 || oct["detox_pending"] != 1 {
			t.Errorf("%s: October %v (K left Oct 20, J Oct 28; C is the one pending)", when, oct)
		}
		if sep := generate(t, f.s, "2026-09").Total.Counts; sep["persons"] != 7 || sep["emp_farming"] != 1 {
			t.Errorf("%s: September %v (J still here)", when, sep)
		}
	}
	check("before the erasure")
	if err := KeepDeparted(ctx, f.s); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.PurgeTransferred(ctx, 1<<62); err != nil {
		t.Fatal(err)
	}
	check("after the erasure")
}

// A transfer typed in on October 14 for September 28 counts in the
// receiving township from September 28: a pending report-in of September
// and a transfer in of September, not of October.
func TestTransferTypedLaterCountsByItsDayWhereTheyArrive(t *testing.T) {
	f := emptyFixture(t, "2026-10-14 09:00")
	f.arrivalOn(map[string]string{"name": "吴十", "id_number": "520102198404041113", "village": ""},
		map[string]string{"type": "rehab", "received_date": "2026-05-01", "report_in_date": "2026-05-05", "status": "active"}, "2026-09-28")
	aug := generate(t, f.s, "2026-08").Total.Counts
	sep := generate(t, f.s, "2026-09").Total.Counts
	oct := generate(t, f.s, "2026-10").Total.Counts
	if aug["persons"] != 0 || aug["rehab_active"] != 0 {
		t.Errorf("August, before the transfer: %v", aug)
	}
	if sep["persons"] != 1 || sep["transfers_in"] != 1 || sep["rehab_pending"] != 1 {
		t.Errorf("September: %v", sep)
	}
	if oct["transfers_in"] != 0 || oct["persons"] != 1 || oct["report_due"] != 1 {
		t.Errorf("October: %v (the new report-in is due Oct 13)", oct)
	}
}

// A risk level is a stock too: each month takes the latest assessment
// dated by its last day, not the person's level today.
func TestRiskLevelOfEachMonthFromItsAssessments(t *testing.T) {
	f := emptyFixture(t, "2026-09-10 09:00")
	p := f.person(map[string]string{"name": "张三", "id_number": "52010219900101123X", "village": v1},
		map[string]string{"type": "detox", "received_date": "2026-08-01", "report_in_date": "2026-08-02", "status": "active"})
	f.put(store.KindRisk, "", map[string]string{"person": p, "date": "2026-09-10", "level": "high"})
	f.clk.at("2026-10-15 09:00")
	f.put(store.KindRisk, "", map[string]string{"person": p, "date": "2026-10-15", "level": "low"})
	f.put(store.KindPerson, p, map[string]string{"risk": "low"})
	f.clk.at("2026-11-02 09:00")
	aug := generate(t, f.s, "2026-08").Total.Counts
	sep := generate(t, f.s, "2026-09").Total.Counts
	oct := generate(t, f.s, "2026-10").Total.Counts
	if sep["risk_high"] != 1 || sep["risk_low"] != 0 || oct["risk_low"] != 1 || oct["risk_high"] != 0 {
		t.Errorf("September %v, October %v", sep, oct)
	}
	if aug["risk_low"] != 1 { // no assessment yet: the person's own level
		t.Errorf("August %v", aug)
	}
}

// Employment is a stock too: a month takes the latest placement (安置)
// dated by its last day, the person's own 就业状况 when none is.
func TestEmploymentOfEachMonthFromItsPlacements(t *testing.T) {
	f := emptyFixture(t, "2026-09-10 09:00")
	p := f.person(map[string]string{"name": "张三", "id_number": "52010219900101123X", "village": v1, "employment": "unemployed"},
		map[string]string{"type": "detox", "received_date": "2026-07-01", "report_in_date": "2026-07-02", "status": "active"})
	f.clk.at("2026-10-20 09:00")
	f.put(store.KindPlacement, "", map[string]string{"person": p, "date": "2026-10-20", "kind": "public"})
	f.put(store.KindPlacement, "", map[string]string{"person": p, "date": "2026-09-15", "kind": "farming"})
	f.put(store.KindPlacement, "", map[string]string{"person": p, "date": "2026-10-05", "kind": "migrant"})
	f.clk.at("2026-11-02 09:00")
	for month, want := range map[string]string{"2026-08": "emp_unemployed", "2026-09": "emp_farming", "2026-10": "emp_public"} {
		c := generate(t, f.s, month).Total.Counts
		if c[want] != 1 || c["emp_migrant"] != 0 {
			t.Errorf("%s: %v, want %s", month, c, want)
		}
	}
}

// Officers type October's paper records in early November: 张三, lost on
// September 20, was found on October 28, and 李四's measure, suspended on
// September 8, was resumed on October 25; both typed in on November 2 with
// their own days. October counts neither as lost or suspended at its end,
// September counts both.
func TestFoundAndResumedCountByTheDayGiven(t *testing.T) {
	f := emptyFixture(t, "2026-09-05 09:00")
	ctx := context.Background()
	x := f.person(map[string]string{"name": "张三", "id_number": "52010219900101123X", "village": v1},
		map[string]string{"type": "detox", "received_date": "2026-08-01", "report_in_date": "2026-08-02", "status": "active"})
	y := f.put(store.KindPerson, "", map[string]string{"name": "李四", "id_number": "520102198505052348", "village": v2})
	ym := f.put(store.KindMeasure, "", map[string]string{"person": y, "type": "rehab", "received_date": "2026-06-01",
		"report_in_date": "2026-06-02", "status": "active"})
	f.clk.at("2026-09-20 10:00")
	if err := f.s.MarkLostContact(ctx, x, "2026-09-20"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SetMeasureOutcome(ctx, ym, store.DutySuspended, "2026-09-08"); err != nil {
		t.Fatal(err)
	}
	f.clk.at("2026-11-02 10:00")
	if err := f.s.MarkFound(ctx, x, "2026-10-28"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SetMeasureOutcome(ctx, ym, store.DutyResumed, "2026-10-25"); err != nil {
		t.Fatal(err)
	}
	sep, oct := generate(t, f.s, "2026-09").Total.Counts, generate(t, f.s, "2026-10").Total.Counts
	if sep["lost_contact"] != 1 || sep["rehab_suspended"] != 1 {
		t.Errorf("September: lost %d suspended %d, want 1 and 1", sep["lost_contact"], sep["rehab_suspended"])
	}
	if oct["lost_contact"] != 0 || oct["rehab_suspended"] != 0 || oct["rehab_active"] != 1 {
		t.Errorf("October: lost %d suspended %d active %d, want 0 0 1 (found Oct 28, resumed Oct 25)",
			oct["lost_contact"], oct["rehab_suspended"], oct["rehab_active"])
	}
	f.put(store.KindPerson, x, map[string]string{"found_date": "2026-11-01"}) // the day corrected on the form
	if oct := generate(t, f.s, "2026-10").Total.Counts; oct["lost_contact"] != 1 {
		t.Errorf("October after the found day was corrected to Nov 1: lost %d, want 1", oct["lost_contact"])
	}
}
