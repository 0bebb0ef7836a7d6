package report

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"rehabdesk/store"
	"rehabdesk/store/rules"
)

// townshipReport computes an October report for a township of n persons
// under active 社区戒毒, each tested once in October.
func townshipReport(t *testing.T, code string, n int) *Submitted {
	t.Helper()
	d := &rules.Data{Township: code, Staff: []rules.Staff{{Role: "officer"}}}
	for range n {
		d.Persons = append(d.Persons, &rules.Person{Current: 0, Employment: "dispersed",
			Measures: []rules.Measure{{Type: "detox", Status: "active", Start: rules.ParseDay("2026-01-05")}},
			Tests:    []rules.Test{{Date: rules.ParseDay("2026-10-09"), Result: "negative"}}})
	}
	m, _ := ParseMonth("2026-10")
	value, err := EncodeSubmission(Compute(d, m, rules.DefaultThresholds()), time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	s, err := DecodeSubmission(value)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Three townships of 南明区; 水口寺街道 has not submitted and 新华路街道 has
// not synced for 8 days.
func TestCombineCounty(t *testing.T) {
	now := time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)
	reports := []*Submitted{townshipReport(t, "520102016", 3), townshipReport(t, "520102017", 5)}
	expected := []string{"520102017", "520102018", "520102016"}
	sync := map[string]time.Time{"520102017": now.Add(-time.Hour), "520102018": now.Add(-48 * time.Hour), "520102016": now.Add(-8 * 24 * time.Hour)}
	c := Combine("520102", "2026-10", reports, expected, sync, now)
	if len(c.Rows) != 3 || c.Total.Counts["persons"] != 8 || c.Total.Counts["tests"] != 8 || c.Total.Counts["staff"] != 2 {
		t.Fatalf("rows %+v total %+v", c.Rows, c.Total)
	}
	if len(c.Missing) != 1 || c.Missing[0] != "520102018" || len(c.Stale) != 1 || c.Stale[0] != "520102016" {
		t.Fatalf("missing %v stale %v", c.Missing, c.Stale)
	}
	var buf bytes.Buffer
	if err := WriteCountyWorkbook(&buf, c, "zh"); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	sheet := x.GetSheetName(0)
	rows, err := x.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "南明区社区戒毒社区康复工作月报汇总表" {
		t.Errorf("title %q", rows[0][0])
	}
	total := rows[headerRows+3]
	if total[0] != "合计" || total[1] != "8" {
		t.Errorf("totals row %q", total)
	}
	missing := rows[headerRows+2] // 520102016, 520102017, 520102018
	if missing[1] != "" {
		t.Errorf("a missing township shows figures: %q", missing)
	}
	if site := rows[headerRows+5][0]; !strings.Contains(site, "全县登记吸毒人员 8 名，集中安置应不少于 0 人") {
		t.Errorf("site note %q", site)
	}
	notes := rows[headerRows+6][0]
	if notes != "未报送本月报表的乡镇（1 个）：水口寺街道" {
		t.Errorf("note %q", notes)
	}
}

// Resubmitting a month replaces the submission; the change log keeps both.
func TestSubmitReplacesAndKeepsHistory(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	r := generate(t, f.s, "2026-10")
	if err := Submit(ctx, f.s, r, f.clk.t); err != nil {
		t.Fatal(err)
	}
	f.clk.at("2026-11-05 09:00")
	r.Total.Counts["tests"] = 99 // as if corrected and regenerated
	if err := Submit(ctx, f.s, r, f.clk.t); err != nil {
		t.Fatal(err)
	}
	settings, err := f.s.List(ctx, store.KindSetting, store.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var id, value string
	for _, s := range settings {
		if s.Get("key") == SubmissionKey("2026-10") {
			if id != "" {
				t.Fatal("two submission records")
			}
			id, value = s.ID, s.Get("value")
		}
	}
	got, err := DecodeSubmission(value)
	if err != nil || got.Total.Counts["tests"] != 99 || got.Township != "520102016" || got.Staffing.Staff != 1 {
		t.Fatalf("decoded %+v %v", got, err)
	}
	hist, err := f.s.RecordHistory(ctx, id)
	if err != nil || len(hist) != 2 {
		t.Fatalf("history %d %v", len(hist), err)
	}
}

func TestSubmissionCoversEveryMetric(t *testing.T) {
	ids := map[string]bool{}
	for _, id := range submissionV1 {
		ids[id] = true
	}
	for _, m := range Metrics {
		if !ids[m.ID] {
			t.Errorf("metric %s is not submitted", m.ID)
		}
	}
	if len(ids) != len(Metrics) {
		t.Errorf("%d submitted, %d metrics", len(ids), len(Metrics))
	}
}
