package report

import (
	"bytes"
	"context"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"rehabdesk/store"
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

// newFixture builds the hand-computed township: four persons with events in
// September and October 2026, and edits made in November that must not
// change October's figures.
//
//	A 张三 纪念塔社区  registered Sep 10, 社区戒毒 reported in Sep 10; tests
//	  Sep 15 neg, Oct 5 neg, Oct 20 pos; visits Oct 3 staff, Oct 25
//	  volunteer; violation Oct 20 reported to police Oct 21; high risk,
//	  methadone, dispersed placement; assistance Oct 12.
//	B 李四 纪念塔社区  registered Oct 2, 社区康复 reported in Oct 8; test Oct 15
//	  refused; visit Oct 16 staff; leave Oct 18; low risk, not employed.
//	C 王五 新华路社区  registered Oct 5, 社区戒毒 received Oct 5, pending.
//	D 赵六 no village  registered Sep 1, 社区戒毒 since 2025; test Sep 20 neg;
//	  medium risk, unable to work.
func newFixture(t *testing.T) *fixture {
	clk := &clock{}
	clk.at("2026-09-01 09:00")
	s, err := store.Create(context.Background(), filepath.Join(t.TempDir(), "r.db"), "520102016", "officer", "secret-pass",
		store.Options{KDF: store.KDFParams{Time: 1, Memory: 1024, Threads: 1}, Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f := &fixture{s, clk, t}
	f.put(store.KindStaff, "", map[string]string{"name": "周专干", "role": "officer"})
	d := f.put(store.KindPerson, "", map[string]string{"name": "赵六", "id_number": "520102198008082220", "risk": "medium", "employment": "unable"})
	f.put(store.KindMeasure, "", map[string]string{"person": d, "type": "detox", "received_date": "2025-08-01", "report_in_date": "2025-08-05", "status": "active"})

	clk.at("2026-09-10 10:00")
	a := f.put(store.KindPerson, "", map[string]string{"name": "张三", "id_number": "52010219900101123X", "village": v1,
		"risk": "high", "methadone": "1", "employment": "dispersed"})
	f.put(store.KindMeasure, "", map[string]string{"person": a, "type": "detox", "received_date": "2026-09-01", "report_in_date": "2026-09-10"})
	f.test(a, "2026-09-15", "negative")
	f.test(d, "2026-09-20", "negative")

	clk.at("2026-10-02 10:00")
	b := f.put(store.KindPerson, "", map[string]string{"name": "李四", "id_number": "520102198505052348", "village": v1, "risk": "low", "employment": "unemployed"})
	f.put(store.KindMeasure, "", map[string]string{"person": b, "type": "rehab", "received_date": "2026-10-02", "report_in_date": "2026-10-08", "planned_end": "2029-10-07"})
	clk.at("2026-10-05 10:00")
	c := f.put(store.KindPerson, "", map[string]string{"name": "王五", "id_number": "520102199203031116", "village": v2})
	f.put(store.KindMeasure, "", map[string]string{"person": c, "type": "detox", "received_date": "2026-10-05"})

	clk.at("2026-10-28 16:00")
	testOct5 := f.test(a, "2026-10-05", "negative")
	f.test(a, "2026-10-20", "positive")
	f.test(b, "2026-10-15", "refused")
	f.visit(a, "2026-10-03", "staff")
	visitOct25 := f.visit(a, "2026-10-25", "volunteer")
	f.visit(b, "2026-10-16", "staff")
	f.put(store.KindViolation, "", map[string]string{"person": a, "date": "2026-10-20", "kind": "positive_test", "police_reported": "2026-10-21"})
	f.put(store.KindLeave, "", map[string]string{"person": b, "depart_date": "2026-10-18"})
	f.put(store.KindAssistance, "", map[string]string{"person": a, "date": "2026-10-12", "kind": "dibao"})

	// November: corrections and a late entry, after October closed.
	clk.at("2026-11-03 09:00")
	f.put(store.KindDrugTest, testOct5, map[string]string{"result": "positive"})
	f.put(store.KindPerson, a, map[string]string{"employment": "central", "risk": "low"})
	f.put(store.KindPerson, b, map[string]string{"village": v2})
	f.test(b, "2026-10-30", "negative")
	if err := s.Archive(context.Background(), visitOct25); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) test(person, date, result string) string {
	return f.put(store.KindDrugTest, "", map[string]string{"person": person, "date": date, "sample": "urine", "result": result})
}

func (f *fixture) visit(person, date, kind string) string {
	return f.put(store.KindVisit, "", map[string]string{"person": person, "date": date, "visitor_kind": kind, "mode": "home"})
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

var october = struct{ v1, v2, none, total Counts }{
	v1: Counts{"persons": 2, "detox_active": 1, "rehab_active": 1, "new_persons": 1, "report_ins": 1,
		"tests": 2, "tests_positive": 1, "tests_refused": 1, "visits_staff": 2, "visits_volunteer": 1,
		"leaves": 1, "violations": 1, "police_reports": 1, "risk_high": 1, "risk_low": 1, "methadone": 1,
		"emp_dispersed": 1, "emp_unemployed": 1, "assistance": 1},
	v2:   Counts{"persons": 1, "detox_pending": 1, "new_persons": 1},
	none: Counts{"persons": 1, "detox_active": 1, "risk_medium": 1, "emp_unable": 1},
	total: Counts{"persons": 4, "detox_active": 2, "detox_pending": 1, "rehab_active": 1, "new_persons": 2, "report_ins": 1,
		"tests": 2, "tests_positive": 1, "tests_refused": 1, "visits_staff": 2, "visits_volunteer": 1,
		"leaves": 1, "violations": 1, "police_reports": 1, "risk_high": 1, "risk_medium": 1, "risk_low": 1, "methadone": 1,
		"emp_dispersed": 1, "emp_unemployed": 1, "emp_unable": 1, "assistance": 1},
}

func TestOctoberFiguresIgnoreNovemberEdits(t *testing.T) {
	f := newFixture(t)
	r := generate(t, f.s, "2026-10")
	if len(r.Rows) != 3 || r.Rows[0].Code != v1 || r.Rows[0].Name != "纪念塔社区" || r.Rows[2].Code != "" {
		t.Fatalf("rows %+v", r.Rows)
	}
	sameCounts(t, "纪念塔社区", rowByCode(t, r, v1), october.v1)
	sameCounts(t, "新华路社区", rowByCode(t, r, v2), october.v2)
	sameCounts(t, "no village", rowByCode(t, r, ""), october.none)
	sameCounts(t, "total", r.Total.Counts, october.total)
	if got := r.Total.Counts.PlacementRate(); got != "50.0" {
		t.Errorf("placement rate %s, want 50.0 (1 placed of 2 able)", got)
	}
	if s := r.Staffing; s.Staff != 1 || s.Users != 4 || s.UnderCare != 4 || s.Required != 1 {
		t.Errorf("staffing %+v", s)
	}
	if r.TownshipName != "新华路街道" || r.County != "520102" || r.Month != "2026-10" {
		t.Errorf("header %+v", r)
	}
}

func TestSeptemberFigures(t *testing.T) {
	r := generate(t, newFixture(t).s, "2026-09")
	sameCounts(t, "total", r.Total.Counts, Counts{"persons": 2, "detox_active": 2, "new_persons": 2, "report_ins": 1, "tests": 2,
		"risk_high": 1, "risk_medium": 1, "methadone": 1, "emp_dispersed": 1, "emp_unable": 1})
}

// November sees the corrections: B moved village, A placed centrally; the
// October test entered in November counts here, once.
func TestNovemberSeesEdits(t *testing.T) {
	r := generate(t, newFixture(t).s, "2026-11")
	sameCounts(t, "纪念塔社区", rowByCode(t, r, v1), Counts{"persons": 1, "detox_active": 1, "risk_low": 1, "methadone": 1, "emp_central": 1})
	// B's Oct 30 test, recorded on Nov 3, counts in November as a late entry.
	sameCounts(t, "新华路社区", rowByCode(t, r, v2), Counts{"persons": 2, "detox_pending": 1, "rehab_active": 1, "risk_low": 1, "emp_unemployed": 1,
		"tests": 1, "late_events": 1})
}

func TestWorkbookReadsBack(t *testing.T) {
	f := newFixture(t)
	r := generate(t, f.s, "2026-10")
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, r, "zh", f.clk.t); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	sheet := x.GetSheetName(0)
	get := func(c string) string {
		v, err := x.GetCellValue(sheet, c)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if got := get("A1"); got != "新华路街道社区戒毒社区康复工作月报表" {
		t.Errorf("title %q", got)
	}
	if got := get("A2"); got != "填报单位：南明区新华路街道（520102016）" {
		t.Errorf("unit %q", got)
	}
	if got := get("C3"); got != "社区戒毒人员" {
		t.Errorf("group header %q", got)
	}
	// rows 5-7 are the villages, row 8 the totals
	if got := get("A8"); got != "合计" {
		t.Errorf("total label %q", got)
	}
	cols, err := x.GetCols(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range metricColumns("zh") {
		want := ""
		switch v := m.value(r.Total).(type) {
		case int:
			want = strconv.Itoa(v)
		case string:
			want = v
		}
		if got := cols[i+1][7]; got != want {
			t.Errorf("total of %s (%s): %q, want %q", m.label, colName(i+2), got, want)
		}
	}
	merges, err := x.GetMergeCells(sheet)
	if err != nil || len(merges) < 10 {
		t.Errorf("%d merged ranges, %v", len(merges), err)
	}
	layout, err := x.GetPageLayout(sheet)
	if err != nil || layout.Size == nil || *layout.Size != 9 || *layout.Orientation != "landscape" || *layout.FitToWidth != 1 {
		t.Errorf("page layout %+v %v", layout, err)
	}
	names := x.GetDefinedName()
	if len(names) != 2 || names[0].Name != "_xlnm.Print_Titles" || names[1].Scope != "年度目标" {
		t.Errorf("defined names (print titles of both sheets) %+v", names)
	}
}
