package report

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
	"rehabdesk/store/rules"
)

const (
	v1 = "520102016001" // 纪念塔社区
	v2 = "520102016002" // 新华路社区
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// at sets the clock to a China-time moment.
func (c *clock) at(s string) {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, time.FixedZone("CST", 8*3600))
	if err != nil {
		panic(err)
	}
	c.t = t
}

type fixture struct {
	s   *store.Store
	clk *clock
	t   *testing.T
}

func (f *fixture) put(k store.Kind, id string, fields map[string]string) string {
	f.t.Helper()
	id, err := f.s.Put(context.Background(), k, id, fields)
	if err != nil {
		f.t.Fatalf("put %s: %v", k, err)
	}
	return id
}

func (f *fixture) person(fields map[string]string, measure map[string]string) string {
	f.t.Helper()
	id := f.put(store.KindPerson, "", fields)
	if measure != nil {
		measure["person"] = id
		f.put(store.KindMeasure, "", measure)
	}
	return id
}

// otherTownship is 西湖路街道, in the same district as the fixture's.
const otherTownship = "520102017"

// arrival makes a person's file in another township and transfers it
// here, merging the changes as the county sends them: the transfer
// first, then the file.
func (f *fixture) arrival(fields, measure map[string]string) string {
	f.t.Helper()
	return f.arrivalOn(fields, measure, "")
}

// arrivalOn is arrival by the file's transfer action on a day (empty: the
// bare move of the file, no day).
func (f *fixture) arrivalOn(fields, measure map[string]string, day string) string {
	f.t.Helper()
	ctx := context.Background()
	other, err := store.Create(ctx, filepath.Join(f.t.TempDir(), "other.db"), otherTownship, "officer", "secret-pass",
		store.Options{KDF: storetest.FastKDF, Now: f.clk.now})
	if err != nil {
		f.t.Fatal(err)
	}
	defer other.Close()
	id, err := other.Put(ctx, store.KindPerson, "", fields)
	if err != nil {
		f.t.Fatal(err)
	}
	measure["person"] = id
	if _, err := other.Put(ctx, store.KindMeasure, "", measure); err != nil {
		f.t.Fatal(err)
	}
	move := func() error { return other.TransferPerson(ctx, id, f.s.Township()) }
	if day != "" {
		move = func() error { return other.StartTransfer(ctx, id, f.s.Township(), day) }
	}
	if err := move(); err != nil {
		f.t.Fatal(err)
	}
	all, err := other.LocalChanges(ctx, 0, 1<<30)
	if err != nil {
		f.t.Fatal(err)
	}
	var moved, rest []*store.Change
	for _, c := range all {
		if _, ok := c.Fields[store.FieldTownship]; ok && c.Kind == store.KindPerson {
			moved = append(moved, c)
		} else {
			rest = append(rest, c)
		}
	}
	for _, batch := range [][]*store.Change{moved, rest} {
		if _, err := f.s.ApplyRemote(ctx, batch); err != nil {
			f.t.Fatal(err)
		}
	}
	return id
}

func (f *fixture) test(person, date, result string) string {
	return f.put(store.KindDrugTest, "", map[string]string{"person": person, "date": date, "sample": "urine", "result": result})
}

func (f *fixture) visit(person, date, kind string) string {
	return f.put(store.KindVisit, "", map[string]string{"person": person, "date": date, "visitor_kind": kind, "mode": "home"})
}

// newFixture builds the hand-computed township of October 2026. Half of
// October's paper records are typed in on November 2-3, before the
// deadline (the 5th): they count in October by their own dates.
//
//	A 张三 纪念塔  社区戒毒 decided Sep 1, reported in Sep 10, agreement Sep 12;
//	  tests Sep 15 neg, Oct 20 pos; visits Oct 3 staff, Oct 25 volunteer;
//	  violation Oct 20 reported to police Oct 21; assistance Oct 12; high
//	  risk, methadone since May, dispersed placement, willing, poverty.
//	B 李四 纪念塔  社区康复 decided/received Oct 2, reported in Oct 8,
//	  agreement Oct 9; test Oct 15 refused; visit Oct 16 staff; leave Oct 18;
//	  low risk, not employed, willing, 低保. Typed in on Nov 3.
//	C 王五 新华路  社区戒毒 decided Oct 19, received Oct 20, not reported in;
//	  lost contact Oct 28; ill, medical aid.
//	D 赵六 (none)  社区戒毒 since 2025, completed Oct 15; unable to work.
//	E 钱七 新华路  社区康复 since March, suspended Oct 10; unable to work.
//	F 孙八 新华路  社区戒毒 started 2025-12-10 (a ledger's only date),
//	  never tested; typed in on Nov 2 like an import; monthly tests.
//	G 周九 纪念塔  社区戒毒 since June, handed over to police Oct 25.
//	H 吴十 新华路  社区康复 since May in 西湖路街道, transferred here Oct 14
//	  (counted from then: not in September); 外出务工.
//	J 郑十一 纪念塔 社区戒毒 since Aug 3, test Oct 5 negative; 务农.
//	K 冯十二 (none) 社区戒毒 since July, transferred away Oct 20: counted
//	  in September, not in October but as a transfer out.
//	F works 灵活就业.
//
// Roster: one officer. Volunteers: one insured, one whose insurance
// lapsed Oct 15, one inactive.
func newFixture(t *testing.T) *fixture {
	f := emptyFixture(t, "2026-09-01 09:00")
	clk := f.clk
	f.put(store.KindStaff, "", map[string]string{"name": "周专干", "role": "officer"})
	f.put(store.KindVolunteer, "", map[string]string{"name": "吴一", "source": "village_cadre", "active": "1", "insurance_expiry": "2027-01-01"})
	f.put(store.KindVolunteer, "", map[string]string{"name": "郑二", "source": "village_cadre", "active": "1", "insurance_expiry": "2026-10-15"})
	f.put(store.KindVolunteer, "", map[string]string{"name": "冯三", "source": "village_cadre", "insurance_expiry": "2027-01-01"})
	f.person(map[string]string{"name": "赵六", "id_number": "520102198008082220", "employment": "unable"},
		map[string]string{"type": "detox", "received_date": "2025-08-01", "report_in_date": "2025-08-05", "status": "completed", "end_date": "2026-10-15"})
	f.person(map[string]string{"name": "周九", "id_number": "520102197501011114", "village": v1, "employment": "self"},
		map[string]string{"type": "detox", "received_date": "2026-06-01", "report_in_date": "2026-06-05", "status": "handed_over", "end_date": "2026-10-25"})
	e := f.person(map[string]string{"name": "钱七", "id_number": "520102198202022221", "village": v2, "employment": "unable"},
		map[string]string{"type": "rehab", "received_date": "2026-03-01", "report_in_date": "2026-03-05", "status": "suspended", "suspended_date": "2026-10-10"})
	_ = e

	clk.at("2026-09-10 10:00")
	a := f.person(map[string]string{"name": "张三", "id_number": "52010219900101123X", "village": v1, "risk": "high",
		"methadone": "1", "methadone_start": "2026-05-01", "employment": "dispersed", "willing_to_work": "1", "poverty": "1"},
		map[string]string{"type": "detox", "decision_date": "2026-09-01", "received_date": "2026-09-01", "report_in_date": "2026-09-10", "status": "active"})
	f.put(store.KindAgreement, "", map[string]string{"person": a, "signed_date": "2026-09-12"})
	f.test(a, "2026-09-15", "negative")

	k := f.person(map[string]string{"name": "冯十二", "id_number": "520102197707071112"},
		map[string]string{"type": "detox", "received_date": "2026-07-01", "report_in_date": "2026-07-02", "status": "active"})
	j := f.person(map[string]string{"name": "郑十一", "id_number": "520102198606061112", "village": v1, "employment": "farming"},
		map[string]string{"type": "detox", "received_date": "2026-08-01", "report_in_date": "2026-08-03", "status": "active"})
	clk.at("2026-10-14 10:00")
	f.test(j, "2026-10-05", "negative")
	h := f.arrival(map[string]string{"name": "吴十", "id_number": "520102198404041113", "employment": "migrant"},
		map[string]string{"type": "rehab", "received_date": "2026-05-01", "report_in_date": "2026-05-05", "status": "active"})
	f.put(store.KindPerson, h, map[string]string{"village": v2})
	clk.at("2026-10-20 10:00")
	if err := f.s.TransferPerson(context.Background(), k, otherTownship); err != nil {
		t.Fatal(err)
	}

	clk.at("2026-10-28 16:00")
	f.test(a, "2026-10-20", "positive")
	f.visit(a, "2026-10-03", "staff")
	f.visit(a, "2026-10-25", "volunteer")
	f.put(store.KindViolation, "", map[string]string{"person": a, "date": "2026-10-20", "kind": "positive_test", "police_reported": "2026-10-21"})
	f.put(store.KindAssistance, "", map[string]string{"person": a, "date": "2026-10-12", "kind": "dibao"})
	f.person(map[string]string{"name": "王五", "id_number": "520102199203031116", "village": v2, "lost_contact": "2026-10-28",
		"ill_disabled": "1", "medical_aid": "1"},
		map[string]string{"type": "detox", "decision_date": "2026-10-19", "received_date": "2026-10-20", "status": "pending"})

	clk.at("2026-11-02 09:00")
	f.person(map[string]string{"name": "孙八", "id_number": "520102198808081111", "village": v2, "employment": "flexible"},
		map[string]string{"type": "detox", "start_date": "2025-12-10", "status": "active"})
	clk.at("2026-11-03 09:00")
	b := f.person(map[string]string{"name": "李四", "id_number": "520102198505052348", "village": v1, "risk": "low",
		"employment": "unemployed", "willing_to_work": "1", "dibao": "1"},
		map[string]string{"type": "rehab", "decision_date": "2026-10-02", "received_date": "2026-10-02", "report_in_date": "2026-10-08",
			"planned_end": "2029-10-07", "status": "active"})
	f.put(store.KindAgreement, "", map[string]string{"person": b, "signed_date": "2026-10-09"})
	f.test(b, "2026-10-15", "refused")
	f.visit(b, "2026-10-16", "staff")
	f.put(store.KindLeave, "", map[string]string{"person": b, "depart_date": "2026-10-18"})
	return f
}

// emptyFixture is a township with nothing in it, its clock at a China time.
func emptyFixture(t *testing.T, now string) *fixture {
	clk := &clock{}
	clk.at(now)
	s, err := store.Create(context.Background(), filepath.Join(t.TempDir(), "r.db"), "520102016", "officer", "secret-pass",
		store.Options{KDF: storetest.FastKDF, Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return &fixture{s, clk, t}
}

func generate(t *testing.T, s *store.Store, month string) *Monthly {
	t.Helper()
	m, err := ParseMonth(month)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Generate(context.Background(), s, m)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func rowByCode(t *testing.T, r *Monthly, code string) Counts {
	t.Helper()
	for _, row := range r.Rows {
		if row.Code == code {
			return row.Counts
		}
	}
	t.Fatalf("no row %q in %+v", code, r.Rows)
	return nil
}

// sameCounts compares ignoring zero entries.
func sameCounts(t *testing.T, what string, got, want Counts) {
	t.Helper()
	g := Counts{}
	for k, v := range got {
		if v != 0 {
			g[k] = v
		}
	}
	if !reflect.DeepEqual(g, want) {
		t.Errorf("%s:\n got %v\nwant %v", what, g, want)
	}
}

// october is the fixture's October, computed by hand (see newFixture).
var october = Counts{
	"persons": 9, "new_detox": 1, "new_rehab": 1, "report_due": 1, "report_due_met": 1, "report_ins": 1, "agreements": 1,
	"detox_active": 3, "detox_pending": 1, "rehab_active": 2, "rehab_suspended": 1, "in_measure": 6,
	"completed": 1, "terminated": 1, "suspended_new": 1, "lost_contact": 1, "lost_contact_new": 1,
	"transfers_in": 1, "transfers_out": 1,
	"tests_due": 4, "tests_due_done": 2, "tests": 2, "tests_positive": 1, "tests_refused": 1,
	"visits_staff": 2, "visits_volunteer": 1, "leaves": 1, "violations": 1, "police_reports": 1,
	"risk_high": 1, "risk_low": 1, "risk_none": 4, "methadone": 1,
	"emp_dispersed": 1, "emp_farming": 1, "emp_migrant": 1, "emp_flexible": 1, "emp_unemployed": 1, "emp_unable": 1,
	"placed": 4, "able": 5, "able_willing": 2, "placed_willing": 1,
	"poverty": 1, "dibao": 1, "medical_aid": 1, "assistance": 1, "ill_disabled": 1,
	"staff": 1, "staff_required": 1, "volunteers_active": 2, "volunteers_insured": 1,
}

// octoberRates are the fixture's October rates, computed by hand from
// october: 1 of 1 report-in due; 2 of 4 tests due (A, J tested; F, H
// not); 4 of 5 able persons placed (A, F, H, J; B not); 1 of 2 willing.
var octoberRates = map[string]string{"report_in_rate": "100.0", "test_rate": "50.0", "placement_rate": "80.0", "willing_rate": "50.0"}

// Every row of the form, checked against the hand count, with records
// typed in after the month counted in it by their dates.
func TestOctoberEveryRowByHand(t *testing.T) {
	f := newFixture(t)
	r := generate(t, f.s, "2026-10")
	sameCounts(t, "total", r.Total.Counts, october)
	for id, want := range octoberRates {
		d, _ := DefOf(id)
		if got := d.Value(r.Total.Counts); got != want {
			t.Errorf("%s = %v, want %s", id, got, want)
		}
	}
	// 纪念塔社区: A, B, G, J. Township-wide rows are not counted per village.
	sameCounts(t, "纪念塔社区", rowByCode(t, r, v1), Counts{"persons": 4, "new_rehab": 1, "report_due": 1, "report_due_met": 1,
		"report_ins": 1, "agreements": 1, "detox_active": 2, "rehab_active": 1, "in_measure": 3, "terminated": 1,
		"tests_due": 2, "tests_due_done": 2, "tests": 2, "tests_positive": 1, "tests_refused": 1, "visits_staff": 2, "visits_volunteer": 1,
		"leaves": 1, "violations": 1, "police_reports": 1, "risk_high": 1, "risk_low": 1, "risk_none": 1, "methadone": 1,
		"emp_dispersed": 1, "emp_farming": 1, "emp_unemployed": 1, "placed": 2, "able": 3, "able_willing": 2, "placed_willing": 1,
		"poverty": 1, "dibao": 1, "assistance": 1})
	// 新华路社区: C, E, F, H (arrived Oct 14).
	sameCounts(t, "新华路社区", rowByCode(t, r, v2), Counts{"persons": 4, "new_detox": 1, "detox_active": 1, "detox_pending": 1,
		"rehab_active": 1, "rehab_suspended": 1, "in_measure": 3, "suspended_new": 1, "lost_contact": 1, "lost_contact_new": 1,
		"transfers_in": 1, "tests_due": 2, "risk_none": 3, "emp_flexible": 1, "emp_migrant": 1, "emp_unable": 1,
		"placed": 2, "able": 2, "ill_disabled": 1, "medical_aid": 1})
	sameCounts(t, "no village", rowByCode(t, r, ""), Counts{"persons": 1, "completed": 1})
	if s := r.Staffing; s.Staff != 1 || s.Users != 9 || s.UnderCare != 7 || s.Required != 1 {
		t.Errorf("staffing %+v", s)
	}
	if order := submissionOrders[submissionVersion]; len(Defs) != len(order)+4 {
		t.Errorf("%d rows, %d submitted and 4 rates: a new row needs a new submission version", len(Defs), len(order))
	}
	for _, d := range Defs {
		if _, ok := october[d.ID]; !ok && d.Kind != Rate && !zeroInOctober[d.ID] {
			t.Errorf("row %s is not checked by the fixture", d.ID)
		}
	}
}

// zeroInOctober are rows the fixture leaves at 0 on purpose.
var zeroInOctober = map[string]bool{"detox_suspended": true, "rehab_pending": true, "risk_medium": true,
	"emp_central": true, "emp_startup": true, "emp_self": true, "emp_public": true, "emp_unknown": true}

// September: B, C did not exist yet by their dates; F's measure started
// in 2025 so F is counted although typed in on November 2; H came from
// another township in October; K, who left on October 20, is counted.
func TestSeptemberByEventDates(t *testing.T) {
	r := generate(t, newFixture(t).s, "2026-09")
	c := r.Total.Counts
	if c["persons"] != 7 || c["detox_active"] != 6 || c["rehab_active"] != 1 || c["new_detox"] != 1 || c["agreements"] != 1 ||
		c["completed"] != 0 || c["tests"] != 1 || c["transfers_in"] != 0 || c["transfers_out"] != 0 || c["emp_unknown"] != 1 {
		t.Errorf("September %v", c)
	}
	if n := rowByCode(t, r, v2)["persons"]; n != 2 {
		t.Errorf("新华路社区 in September: %d persons, want 2 (E, F; H came in October)", n)
	}
	if n := rowByCode(t, r, "")["persons"]; n != 2 {
		t.Errorf("no village in September: %d persons, want 2 (D, and K who left in October)", n)
	}
}

// The month a ledger is imported does not count its persons as new.
func TestImportedPersonIsNotNewInTheImportMonth(t *testing.T) {
	c := generate(t, newFixture(t).s, "2026-11").Total.Counts
	if c["new_detox"] != 0 || c["new_rehab"] != 0 || c["detox_active"] != 3 { // A, F, J
		t.Errorf("November %v: F (typed in Nov 2, started 2025) is caseload, not a new decision", c)
	}
}

// Before the deadline a month is a draft; a month not ended cannot be
// submitted; an October entry made after submission makes a correction,
// revision 2, listing what changed.
func TestDeadlineSubmissionAndCorrection(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	r := generate(t, f.s, "2026-10")
	if r.Status != StatusDraft || !r.Draft() || r.Deadline != "2026-11-05" {
		t.Fatalf("status %s draft %v deadline %s", r.Status, r.Draft(), r.Deadline)
	}
	nov := generate(t, f.s, "2026-11")
	if _, err := Submit(ctx, f.s, nov, f.clk.t); !errors.Is(err, ErrMonthNotEnded) || nov.Status != StatusOpen {
		t.Fatalf("submitting November on Nov 3: %v (status %s)", err, nov.Status)
	}
	if rev, err := Submit(ctx, f.s, r, f.clk.t); err != nil || rev != 1 {
		t.Fatalf("submit: rev %d %v", rev, err)
	}
	if r = generate(t, f.s, "2026-10"); r.Status != StatusSubmitted || r.Revision != 1 {
		t.Fatalf("after submission: %s rev %d", r.Status, r.Revision)
	}
	f.clk.at("2026-11-12 10:00")
	late := f.put(store.KindPerson, "", map[string]string{"name": "陈十", "id_number": "520102199909091110", "village": v1, "first_found": "2026-01-05"})
	f.visit(late, "2026-10-30", "staff")
	r = generate(t, f.s, "2026-10")
	if r.Status != StatusChanged || !reflect.DeepEqual(r.Changed, []string{"persons", "visits_staff"}) {
		t.Fatalf("after a late October entry: %s changed %v", r.Status, r.Changed)
	}
	months := []Month{{2026, time.November}, {2026, time.October}, {2026, time.September}}
	if changed, err := FirstChanged(ctx, f.s, months); err != nil || changed == nil || changed.Month != "2026-10" ||
		!reflect.DeepEqual(changed.Changed, r.Changed) {
		t.Fatalf("FirstChanged: %+v %v", changed, err)
	}
	if rev, err := Submit(ctx, f.s, r, f.clk.t); err != nil || rev != 2 {
		t.Fatalf("correction: rev %d %v", rev, err)
	}
	revs, err := Revisions(ctx, f.s, "2026-10")
	if err != nil || len(revs) != 2 || revs[0].Total.Counts["visits_staff"] != 2 || revs[1].Total.Counts["visits_staff"] != 3 {
		t.Fatalf("revisions %d %v", len(revs), err)
	}
	if r = generate(t, f.s, "2026-10"); r.Status != StatusCorrected || r.Revision != 2 {
		t.Fatalf("after the correction: %s rev %d", r.Status, r.Revision)
	}
	if rev, err := Submit(ctx, f.s, r, f.clk.t); err != nil || rev != 2 {
		t.Errorf("resubmitting unchanged figures made revision %d (error %v)", rev, err)
	}
	if changed, err := FirstChanged(ctx, f.s, months); err != nil || changed != nil {
		t.Errorf("after the correction FirstChanged gives %+v %v", changed, err)
	}
}

// Past the deadline without a submission the month is late.
func TestLateAfterDeadline(t *testing.T) {
	f := newFixture(t)
	f.clk.at("2026-11-06 08:00")
	if r := generate(t, f.s, "2026-10"); r.Status != StatusLate || r.Draft() {
		t.Fatalf("Nov 6, not submitted: %s", r.Status)
	}
}

// A township that began with a ledger import on Dec 7 (its adoption
// baseline) has no test due in November: before it, what happened is
// unknown, not overdue. Its persons are caseload of November all the same.
func TestNoDutyBeforeTheBaseline(t *testing.T) {
	d := &rules.Data{Township: "520102016"}
	for range 3 {
		d.Persons = append(d.Persons, &rules.Person{Registered: rules.ParseDay("2026-12-07"), Current: 0,
			Measures: []rules.Measure{{Type: "detox", Status: "active", Start: rules.ParseDay("2026-03-01")}}})
	}
	nov, err := ParseMonth("2026-11")
	if err != nil {
		t.Fatal(err)
	}
	th := rules.DefaultThresholds()
	th.Baseline = rules.ParseDay("2026-12-07")
	c := computeAt(d, nil, nov, th, nov.End()).Total.Counts
	if c["tests_due"] != 0 || c["persons"] != 3 || c["detox_active"] != 3 || c["new_detox"] != 0 {
		t.Errorf("November before the baseline: %v", c)
	}
	th.Baseline = rules.ParseDay("2026-09-01") // began earlier: monthly tests from Sep 1
	if c := computeAt(d, nil, nov, th, nov.End()).Total.Counts; c["tests_due"] != 3 {
		t.Errorf("baseline Sep 1: %d due, want 3", c["tests_due"])
	}
}
