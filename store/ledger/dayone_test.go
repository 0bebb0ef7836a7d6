package ledger

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
)

const jinianta = "520102016001" // 纪念塔社区

// dayOneStore is a township on 2026-12-07 with one 专干, one volunteer and
// one grid, as a township has them before its first import.
func dayOneStore(t *testing.T) (s *store.Store, staff, volunteer, grid string) {
	t.Helper()
	now := func() time.Time { return time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC) }
	s, err := store.Create(context.Background(), filepath.Join(t.TempDir(), "t.db"), testTownship, "officer", "secret-pass",
		store.Options{KDF: storetest.FastKDF, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ctx := context.Background()
	if staff, err = s.AddStaff(ctx, map[string]string{"name": "周专干", "role": "officer"}); err != nil {
		t.Fatal(err)
	}
	if volunteer, err = s.Put(ctx, store.KindVolunteer, "", map[string]string{"name": "李老师", "source": "elder_teacher"}); err != nil {
		t.Fatal(err)
	}
	if grid, err = s.Put(ctx, store.KindGrid, "", map[string]string{"name": "一网格", "village": jinianta}); err != nil {
		t.Fatal(err)
	}
	return s, staff, volunteer, grid
}

func importDayOne(t *testing.T, s *store.Store) *Report {
	t.Helper()
	data, err := os.ReadFile("testdata/dayone.csv")
	if err != nil {
		t.Fatal(err)
	}
	return importBytes(t, s, data)
}

// personNamed returns a person with their records by kind.
func personNamed(t *testing.T, s *store.Store, name string) (*store.Record, map[store.Kind][]*store.Record) {
	t.Helper()
	ps, err := s.List(context.Background(), store.KindPerson, store.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Get("name") == name {
			recs := map[store.Kind][]*store.Record{}
			for _, k := range []store.Kind{store.KindMeasure, store.KindRisk, store.KindAgreement, store.KindDrugTest, store.KindVisit, store.KindAssignment} {
				if recs[k], err = s.List(context.Background(), k, store.ListFilter{PersonID: p.ID}); err != nil {
					t.Fatal(err)
				}
			}
			return p, recs
		}
	}
	t.Fatalf("%s not imported", name)
	return nil, nil
}

func expectFields(t *testing.T, who string, r *store.Record, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if r.Get(k) != v {
			t.Errorf("%s: %s = %q, want %q", who, k, r.Get(k), v)
		}
	}
}

// Every vocabulary is matched whole against assets/vocab: 强制隔离戒毒 and
// 自愿戒毒 are not 社区戒毒, 无 is 未就业, 新型毒品 is a synthetic drug.
func TestLedgerVocabulariesMapWholeValuesOnly(t *testing.T) {
	s, _, _, _ := dayOneStore(t)
	importDayOne(t, s)
	wang, w := personNamed(t, s, "王强")
	expectFields(t, "王强", wang, map[string]string{"drug_types": "meth", "risk": "high", "employment": "farming", "ethnicity": "汉族"})
	if len(w[store.KindMeasure]) != 1 {
		t.Fatalf("王强 measures: %v", w[store.KindMeasure])
	}
	expectFields(t, "王强 measure", w[store.KindMeasure][0], map[string]string{"type": "compulsory", "status": "active"})
	liu, l := personNamed(t, s, "刘芳")
	expectFields(t, "刘芳", liu, map[string]string{"drug_types": "synthetic", "employment": "migrant", "ethnicity": "苗族"})
	if len(l[store.KindMeasure]) != 1 || l[store.KindMeasure][0].Get("type") != "voluntary" {
		t.Errorf("刘芳 measures: %v", l[store.KindMeasure])
	}
	chen, c := personNamed(t, s, "陈军")
	expectFields(t, "陈军", chen, map[string]string{"category": "social", "drug_types": "ketamine,nps", "employment": "flexible", "ethnicity": "布依族"})
	if len(c[store.KindMeasure]) != 0 {
		t.Errorf("社会面 person has a measure: %v", c[store.KindMeasure])
	}
	zhao, _ := personNamed(t, s, "赵丽")
	expectFields(t, "赵丽", zhao, map[string]string{"employment": "unemployed"})
}

// Values no vocabulary lists keep their row: each is kept as written under
// the other ledger columns, named in the report, and its field left empty.
func TestUnknownValuesKeepTheRowAndAreReported(t *testing.T) {
	s, _, _, _ := dayOneStore(t)
	rep := importDayOne(t, s)
	zhou, z := personNamed(t, s, "周敏")
	for _, f := range []string{"drug_types", "risk", "employment", "staff"} {
		if zhou.Get(f) != "" {
			t.Errorf("周敏 %s = %q, want empty for the officer to choose", f, zhou.Get(f))
		}
	}
	for _, line := range []string{"人员类型：戒毒康复", "吸食毒品种类：麻果", "风险等级：极高", "就业状况：待岗", "专干：无此人", "执行开始日期：2025-01-01"} {
		if !strings.Contains(zhou.Get("ledger_extra"), line) {
			t.Errorf("周敏 ledger_extra %q lacks %q", zhou.Get("ledger_extra"), line)
		}
	}
	if len(z[store.KindMeasure]) != 0 {
		t.Errorf("a measure without a known type: %v", z[store.KindMeasure])
	}
	reported := map[string]bool{}
	for _, p := range rep.Problems {
		if p.Row == 8 {
			reported[p.Column+"="+fmtArg(p.Args)] = true
		}
	}
	for _, want := range []string{"人员类型=戒毒康复", "吸食毒品种类=麻果", "风险等级=极高", "就业状况=待岗", "专干=无此人"} {
		if !reported[want] {
			t.Errorf("report of row 8 lacks %s: %v", want, reported)
		}
	}
}

// fmtArg is the value a problem names: its last text argument.
func fmtArg(args []any) string {
	for i := len(args) - 1; i >= 0; i-- {
		if s, ok := args[i].(string); ok {
			return s
		}
	}
	return ""
}

// The past as it is: a measure whose end passed is ended (flagged to
// confirm), the ledger's risk level an assessment of the import day, and
// the optional columns become the events and links they describe. A bad end
// date loses nothing else of its measure.
func TestPastMeasuresRiskAndOptionalColumns(t *testing.T) {
	s, staff, volunteer, grid := dayOneStore(t)
	rep := importDayOne(t, s)
	_, z := personNamed(t, s, "赵丽")
	expectFields(t, "赵丽 measure", z[store.KindMeasure][0], map[string]string{"status": "completed", "end_date": "2023-01-10", "confirm": "1"})
	if len(z[store.KindRisk]) != 1 {
		t.Fatalf("赵丽 risk assessments: %v", z[store.KindRisk])
	}
	expectFields(t, "赵丽 risk", z[store.KindRisk][0], map[string]string{"date": "2026-12-07", "level": "medium"})
	sun, r := personNamed(t, s, "孙伟")
	expectFields(t, "孙伟", sun, map[string]string{"staff": staff, "grid": grid, "ledger_extra": "执行结束日期：2028-06-30"})
	expectFields(t, "孙伟 measure", r[store.KindMeasure][0], map[string]string{"type": "rehab", "start_date": "2025-06-01",
		"report_in_date": "2025-06-03", "decision_no": "南公(禁)决字〔2025〕12号", "planned_end": "", "status": "active"})
	if len(r[store.KindAgreement]) != 1 || len(r[store.KindDrugTest]) != 1 || len(r[store.KindVisit]) != 1 || len(r[store.KindAssignment]) != 1 {
		t.Fatalf("孙伟 events: %v", r)
	}
	expectFields(t, "孙伟 agreement", r[store.KindAgreement][0], map[string]string{"signed_date": "2025-06-05"})
	expectFields(t, "孙伟 test", r[store.KindDrugTest][0], map[string]string{"date": "2026-11-20", "result": "negative"})
	expectFields(t, "孙伟 visit", r[store.KindVisit][0], map[string]string{"date": "2026-11-28"})
	expectFields(t, "孙伟 volunteer", r[store.KindAssignment][0], map[string]string{"role": "volunteer", "member": volunteer})
	if rep.New != 6 || rep.Rejected != 0 {
		t.Errorf("report: %d new, %d rejected", rep.New, rep.Rejected)
	}
	// A second import repeats no event and no assessment.
	importDayOne(t, s)
	if _, again := personNamed(t, s, "孙伟"); len(again[store.KindRisk]) != 1 || len(again[store.KindDrugTest]) != 1 {
		t.Errorf("re-import repeated events: %v", again)
	}
}

// The set-aside cells of a row are the flags its file shows until fixed.
func TestSetAsideLinesAreTheCellsToFix(t *testing.T) {
	extra := "人员类型：戒毒康复\n户籍派出所：新华路派出所\n风险等级：极高"
	got := SetAsideLines(extra)
	if len(got) != 2 || got[0] != "人员类型：戒毒康复" || got[1] != "风险等级：极高" {
		t.Fatalf("set aside: %q", got)
	}
	if DropLine(extra, got[0]) != "户籍派出所：新华路派出所\n风险等级：极高" {
		t.Fatal("DropLine")
	}
}

// Exported and imported again, the day-one ledger changes nobody: new
// types, categories and vocabularies come back as they went out.
func TestDayOneLedgerRoundTrips(t *testing.T) {
	s, _, _, _ := dayOneStore(t)
	importDayOne(t, s)
	out := exportCSV(t, s)
	for _, want := range []string{"强制隔离戒毒", "自愿戒毒", "社会面", "务农", "外出务工", "灵活就业", "合成毒品"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("export lacks %s", want)
		}
	}
	if rep := importBytes(t, s, out); rep.Updated != 0 || rep.New != 0 {
		t.Fatalf("re-import of the export: %d updated, %d new", rep.Updated, rep.New)
	}
}
