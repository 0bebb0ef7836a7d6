package report

import (
	"bytes"
	"context"
	"html"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"rehabdesk/store"
	"rehabdesk/store/rules"
)

// newYearFixture is a township entered in 2016, for December 2016's report.
//
//	纪念塔社区: four persons first found 2014 (one, A, tested positive on
//	  2016-04-01), E first found 2015-03-01, F first found 2016-02-01.
//	  Measures handed over to the police: B's ended 2015-08-01, C's
//	  2016-03-01, D's 2016-06-01, and one of A's with no end date.
//	新华路社区: G, no first-found date, tested positive 2016-05-01.
//
// Detection: 2015 found 1 (E) of 4 on file = 25.0%; 2016 found 2 (A, F) of 5
// on file (E now counts) = 40.0%: +15.0 points, met. Handovers: 1 → 2,
// +100.0%, met. Left out: G, and A's undated handover.
func newYearFixture(t *testing.T) *fixture {
	clk := &clock{}
	clk.at("2016-12-01 09:00")
	s, err := store.Create(context.Background(), filepath.Join(t.TempDir(), "y.db"), "520102016", "officer", "secret-pass",
		store.Options{KDF: store.KDFParams{Time: 1, Memory: 1024, Threads: 1}, Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f := &fixture{s, clk, t}
	ids := []string{"520102198001011112", "520102198001021118", "520102198001031113", "520102198001041119"}
	var found2014 []string
	for _, id := range ids {
		found2014 = append(found2014, f.put(store.KindPerson, "", map[string]string{"name": "甲", "id_number": withCheck(id[:17]),
			"village": v1, "first_found": "2014-05-01"}))
	}
	f.test(found2014[0], "2016-04-01", "positive")
	f.handover(found2014[1], "2015-08-01")
	f.handover(found2014[2], "2016-03-01")
	f.handover(found2014[3], "2016-06-01")
	f.handover(found2014[0], "")
	f.put(store.KindPerson, "", map[string]string{"name": "戊", "id_number": withCheck("52010219800105111"), "village": v1, "first_found": "2015-03-01"})
	f.put(store.KindPerson, "", map[string]string{"name": "己", "id_number": withCheck("52010219800106111"), "village": v1, "first_found": "2016-02-01"})
	g := f.put(store.KindPerson, "", map[string]string{"name": "庚", "id_number": withCheck("52010219800107111"), "village": v2})
	f.test(g, "2016-05-01", "positive")
	return f
}

func (f *fixture) handover(person, end string) {
	f.put(store.KindMeasure, "", map[string]string{"person": person, "type": "detox", "received_date": "2014-06-01",
		"report_in_date": "2014-06-05", "status": "handed_over", "end_date": end})
}

func TestYearTargetsFromStore(t *testing.T) {
	r := generate(t, newYearFixture(t).s, "2016-12")
	y := r.Total.Year
	want := rules.YearFigures{Found: 2, Base: 5, Compulsory: 2, PrevFound: 1, PrevBase: 4, PrevCompulsory: 1, NoFirstFound: 1, NoEndDate: 1}
	if y == nil || y.YearFigures != want || y.DetectionGain != 5 || y.CompulsoryGain != 20 {
		t.Fatalf("year %+v, want %+v", y, want)
	}
	if d := y.DetectionCheck(); d.Now != "40.0" || d.Before != "25.0" || d.Change != "+15.0" || d.Verdict != rules.Met {
		t.Errorf("detection %+v", d)
	}
	if c := y.CompulsoryCheck(); c.Change != "+100.0" || c.Verdict != rules.Met {
		t.Errorf("compulsory %+v", c)
	}
	if g := rowYear(t, r, v2); g.NoFirstFound != 1 || g.Found != 0 {
		t.Errorf("新华路社区 %+v", g)
	}
}

// Raising the target through the setting turns the verdict: +15 points does
// not meet a target of 16.
func TestYearTargetFollowsSetting(t *testing.T) {
	f := newYearFixture(t)
	if err := rules.SetThreshold(context.Background(), f.s, "detection_gain_points", 16); err != nil {
		t.Fatal(err)
	}
	y := generate(t, f.s, "2016-12").Total.Year
	if d := y.DetectionCheck(); d.Goal != 16 || d.Verdict != rules.Missed {
		t.Errorf("detection %+v", d)
	}
}

func rowYear(t *testing.T, r *Monthly, code string) *YearRow {
	t.Helper()
	for _, row := range r.Rows {
		if row.Code == code {
			return row.Year
		}
	}
	t.Fatalf("no row %q", code)
	return nil
}

// The township workbook's second sheet shows the totals and the verdicts.
func TestYearSheetReadsBack(t *testing.T) {
	f := newYearFixture(t)
	r := generate(t, f.s, "2016-12")
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, r, "zh", f.clk.t); err != nil {
		t.Fatal(err)
	}
	rows := sheetRows(t, &buf, "年度目标")
	if rows[0][0] != "新华路街道禁毒工作年度目标完成情况" {
		t.Errorf("title %q", rows[0][0])
	}
	if !strings.Contains(strings.Join(rows[1], " "), "2016年1月1日至2016年12月31日，对比上年同期2015年1月1日至2015年12月31日") {
		t.Errorf("period %q", rows[1])
	}
	total := rows[headerRows+2] // two villages, then the total
	want := []string{"合计", "2", "5", "40.0", "1", "4", "25.0", "+15.0", "5", "达到", "2", "1", "+100.0", "20", "达到", "1", "1"}
	if strings.Join(total, "|") != strings.Join(want, "|") {
		t.Errorf("totals\n got %q\nwant %q", total, want)
	}
	if !strings.Contains(rows[headerRows+4][0], "代用口径") {
		t.Errorf("first note does not say it is a proxy: %q", rows[headerRows+4][0])
	}
}

func sheetRows(t *testing.T, buf *bytes.Buffer, sheet string) [][]string {
	t.Helper()
	x, err := excelize.OpenReader(buf)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// submitted packs a township's yearly figures as its report would, through
// the submission encoding; nil figures make a report of software that
// predates the targets.
func submitted(t *testing.T, code string, y *YearRow) *Submitted {
	t.Helper()
	m := &Monthly{Township: code, Month: "2016-12", Total: Row{Code: code, Counts: Counts{"persons": 1}, Year: y}}
	value, err := EncodeSubmission(m, time.Date(2017, 1, 3, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if (y == nil) == strings.Contains(value, `"y":`) {
		t.Fatalf("submission %s", value)
	}
	s, err := DecodeSubmission(value)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// 新华路街道 meets the detection target exactly (10% → 15%) and the
// compulsory one exactly (5 → 6); 遵义路街道 stays at 10% and had no
// handover the year before (no base); 水口寺街道 reports without the yearly
// figures. County: 4 of 30 against 3 of 30 is +3.3 points, missed; 7
// handovers after 5 is +40.0%, met.
func TestCombineYearTargets(t *testing.T) {
	reports := []*Submitted{
		submitted(t, "520102016", &YearRow{YearFigures: rules.YearFigures{Found: 3, Base: 20, PrevFound: 2, PrevBase: 20, Compulsory: 6, PrevCompulsory: 5}, DetectionGain: 5, CompulsoryGain: 20}),
		submitted(t, "520102017", &YearRow{YearFigures: rules.YearFigures{Found: 1, Base: 10, PrevFound: 1, PrevBase: 10, Compulsory: 1}, DetectionGain: 5, CompulsoryGain: 20}),
		submitted(t, "520102018", nil),
	}
	c := Combine("520102", "2016-12", reports, []string{"520102016", "520102017", "520102018"}, nil, time.Now())
	if len(c.NoYear) != 1 || c.NoYear[0] != "520102018" {
		t.Fatalf("no year %v", c.NoYear)
	}
	verdicts := func(y *YearRow) [2]rules.Verdict {
		return [2]rules.Verdict{y.DetectionCheck().Verdict, y.CompulsoryCheck().Verdict}
	}
	if v := verdicts(c.Rows[0].Year); v != [2]rules.Verdict{rules.Met, rules.Met} {
		t.Errorf("新华路街道 %v", v)
	}
	if v := verdicts(c.Rows[1].Year); v != [2]rules.Verdict{rules.Missed, rules.NoBase} {
		t.Errorf("遵义路街道 %v", v)
	}
	if c.Total.Year.DetectionCheck().Change != "+3.3" || verdicts(c.Total.Year) != [2]rules.Verdict{rules.Missed, rules.Met} {
		t.Errorf("county %+v", c.Total.Year)
	}
	var buf bytes.Buffer
	if err := WriteCountyWorkbook(&buf, c, "zh"); err != nil {
		t.Fatal(err)
	}
	rows := sheetRows(t, &buf, "年度目标")
	if old := rows[headerRows+2]; len(old) > 1 && strings.Join(old[1:], "") != "" {
		t.Errorf("a report without yearly figures shows figures: %q", old)
	}
	if got := rows[headerRows+1][9:15]; strings.Join(got, "|") != "未达到|1|0|-|20|无上年基数" {
		t.Errorf("遵义路街道 %q", got)
	}
	if last := rows[len(rows)-1][0]; !strings.Contains(last, "水口寺街道") {
		t.Errorf("last note %q", last)
	}
}

// Townships with different targets: the county total is held to the defaults.
func TestCombineMixedTargetsUsesDefaults(t *testing.T) {
	reports := []*Submitted{
		submitted(t, "520102016", &YearRow{DetectionGain: 8, CompulsoryGain: 30}),
		submitted(t, "520102017", &YearRow{DetectionGain: 5, CompulsoryGain: 20}),
	}
	c := Combine("520102", "2016-12", reports, nil, nil, time.Now())
	if y := c.Total.Year; y.DetectionGain != 5 || y.CompulsoryGain != 20 {
		t.Errorf("county targets %d, %d", y.DetectionGain, y.CompulsoryGain)
	}
}

func TestSubmissionWithBadYearIsAnError(t *testing.T) {
	value, err := EncodeSubmission(&Monthly{Township: "520102016", Month: "2016-12", Total: Row{Counts: Counts{}}}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	value = strings.Replace(value, `"r":[0,0]`, `"r":[0,0],"y":[1,2,3]`, 1)
	if _, err := DecodeSubmission(value); err == nil {
		t.Fatalf("decoded %s", value)
	}
}

// The county page shows each township's verdicts and the county's, and says
// when a township sent no yearly figures.
func TestCountyPageShowsYearTargets(t *testing.T) {
	reports := []*Submitted{
		submitted(t, "520102016", &YearRow{YearFigures: rules.YearFigures{Found: 3, Base: 20, PrevFound: 2, PrevBase: 20, Compulsory: 6, PrevCompulsory: 5}, DetectionGain: 5, CompulsoryGain: 20}),
		submitted(t, "520102018", nil),
	}
	c := Combine("520102", "2016-12", reports, nil, nil, time.Now())
	var buf bytes.Buffer
	if err := WriteCountyPage(&buf, &CountyPage{Lang: "zh", County: c, Generated: time.Now()}); err != nil {
		t.Fatal(err)
	}
	page := html.UnescapeString(buf.String())
	table := page[strings.Index(page, `<table id="year">`):]
	table = table[:strings.Index(table, "</table>")]
	for _, want := range []string{"<td>15.0</td><td>10.0</td><td>+5.0</td><td>达到</td><td>6</td><td>5</td><td>+20.0</td><td>达到</td>",
		`水口寺街道</td><td class="missing" colspan="8">无年度目标数据`, "<th>合计</th><th>15.0</th>"} {
		if !strings.Contains(table, want) {
			t.Errorf("no %q in\n%s", want, table)
		}
	}
}

// Every cell of both workbooks is translated, in both languages: a missing
// key would show as "report.…".
func TestWorkbooksHaveNoRawKeys(t *testing.T) {
	f := newYearFixture(t)
	r := generate(t, f.s, "2016-12")
	sub := submitted(t, "520102016", r.Total.Year)
	c := Combine("520102", "2016-12", []*Submitted{sub, submitted(t, "520102017", nil)}, []string{"520102018"}, nil, time.Now())
	for _, lang := range []string{"zh", "en"} {
		var town, county bytes.Buffer
		if err := WriteWorkbook(&town, r, lang, f.clk.t); err != nil {
			t.Fatal(err)
		}
		if err := WriteCountyWorkbook(&county, c, lang); err != nil {
			t.Fatal(err)
		}
		for name, buf := range map[string]*bytes.Buffer{"township": &town, "county": &county} {
			x, err := excelize.OpenReader(buf)
			if err != nil {
				t.Fatal(err)
			}
			for _, sheet := range x.GetSheetList() {
				rows, _ := x.GetRows(sheet)
				for _, row := range rows {
					for _, v := range row {
						if strings.HasPrefix(v, "report.") || strings.Contains(v, "%!") {
							t.Errorf("%s %s workbook, sheet %s: %q", lang, name, sheet, v)
						}
					}
				}
			}
			x.Close()
		}
	}
}

// Police figures entered for 2016 and 2015 are shown beside the proxies,
// with their own verdicts: 120 of 800 (15.0%) against 80 of 800 (10.0%) is
// exactly +5 points, met; 12 after 10 is +20.0%, met. Missing ones are named.
func TestYearSheetShowsPoliceFigures(t *testing.T) {
	f := newYearFixture(t)
	ctx := context.Background()
	noteOf := func(prefix string) string {
		r := generate(t, f.s, "2016-12")
		var buf bytes.Buffer
		if err := WriteWorkbook(&buf, r, "zh", f.clk.t); err != nil {
			t.Fatal(err)
		}
		var notes []string
		for _, row := range sheetRows(t, &buf, "年度目标") {
			if len(row) == 1 && strings.HasPrefix(row[0], prefix) {
				notes = append(notes, row[0])
			}
		}
		return strings.Join(notes, "\n")
	}
	if got := noteOf("未录入"); !strings.Contains(got, "未录入2016年和2015年的全部公安统计数") {
		t.Errorf("before entry: %q", got)
	}
	for name, v := range map[string]int{"police_found_2016": 120, "police_registered_2016": 800, "police_found_2015": 80,
		"police_registered_2015": 800, "police_compulsory_2016": 12, "police_compulsory_2015": 10} {
		if err := rules.SetThreshold(ctx, f.s, name, v); err != nil {
			t.Fatal(err)
		}
	}
	got := noteOf("公安统计数")
	for _, want := range []string{"2016年查处 120 人、年初在册 800 人，查处率 15.0%；2015年查处 80 人、年初在册 800 人，查处率 10.0%；提升 +5.0 个百分点，目标 5 个百分点：达到",
		"2016年强制隔离戒毒 12 人，2015年 10 人，同比 +20.0%，目标 20%：达到"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
	if got := noteOf("未录入"); got != "" {
		t.Errorf("after entry: %q", got)
	}
}

// The persons dated by their earliest measure travel to the county; a
// submission of the first version (ten values, without them) still reads,
// and so does one with more values than this version knows.
func TestSubmissionCarriesDatedByMeasure(t *testing.T) {
	y := &YearRow{YearFigures: rules.YearFigures{Found: 3, Base: 20, DatedByMeasure: 17}, DetectionGain: 5, CompulsoryGain: 20}
	if got := submitted(t, "520102016", y).Total.Year; got == nil || *got != *y {
		t.Fatalf("got %+v, want %+v", got, y)
	}
	old, err := yearFromValues([]int{3, 20, 0, 0, 0, 0, 1, 0, 5, 20})
	if err != nil || old.Found != 3 || old.NoFirstFound != 1 || old.DatedByMeasure != 0 || old.CompulsoryGain != 20 {
		t.Fatalf("version 1: %+v, %v", old, err)
	}
	// a newer township's software may add counts: the known ones still read
	newer, err := yearFromValues([]int{3, 20, 0, 0, 0, 0, 1, 0, 5, 20, 17, 99})
	if err != nil || newer.DatedByMeasure != 17 || newer.DetectionGain != 5 {
		t.Fatalf("newer: %+v, %v", newer, err)
	}
}
