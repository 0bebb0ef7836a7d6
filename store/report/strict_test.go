package report

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"rehabdesk/internal/xlsxread"
)

// TestWorkbooksOpenInOpenpyxl writes the township and county workbooks and
// reads them back with openpyxl, the strict reader county analysts use: it
// refused border colours written as rgb="FF". Every figure of the total
// column must read back as the report's, and every sheet of a draft says
// it is one.
func TestWorkbooksOpenInOpenpyxl(t *testing.T) {
	xlsxread.Need(t)
	f := newFixture(t)
	r := generate(t, f.s, "2026-10")
	dir := t.TempDir()
	town := filepath.Join(dir, "township.xlsx")
	if err := WriteWorkbookFile(town, r, "zh", f.clk.t); err != nil {
		t.Fatal(err)
	}
	sheets := xlsxread.MustRead(t, town)
	for _, s := range sheets {
		if !strings.Contains(s.Cell(3, 1), "草稿") {
			t.Errorf("sheet %q of a draft: status line %q", s.Name, s.Cell(3, 1))
		}
	}
	checkTotals(t, "township", &sheets[0], r.Total)
	checkHandCount(t, &sheets[0])

	if _, err := Submit(context.Background(), f.s, r, f.clk.t); err != nil {
		t.Fatal(err)
	}
	revs, err := Revisions(context.Background(), f.s, "2026-10")
	if err != nil {
		t.Fatal(err)
	}
	c := Combine("520102", "2026-10", map[string][]*Submitted{"520102016": revs}, []string{"520102016", "520102001"}, nil, f.clk.t, 5)
	c.Year = CombineYear(2026, "2026-10", []*County{c}, map[string]int{"placement_rate": 90}, map[string]int{"found": 12})
	county := filepath.Join(dir, "county.xlsx")
	w, err := os.Create(county)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteCountyWorkbook(w, c, "zh"); err != nil {
		t.Fatal(err)
	}
	w.Close()
	sheets = xlsxread.MustRead(t, county)
	checkTotals(t, "county", &sheets[0], c.Total)
	if row, col := sheets[0].Find("报送状态"); row == 0 || sheets[0].Cell(row, col+2) != "草稿" || sheets[0].Cell(row, col+3) != "已报送 第1版" {
		t.Errorf("county status row %v", sheets[0].Rows[row-1])
	}
	year := sheets[1]
	if row, _ := year.Find("就业安置率（%）"); row == 0 || year.Cell(row, 2) != "80.0" || year.Cell(row, 3) != "90" || year.Cell(row, 4) != "未达到" {
		t.Errorf("placement target line %v", year.Rows)
	}
	if row, _ := year.Find("检测率（%）"); row == 0 || year.Cell(row, 3) != "" || year.Cell(row, 4) != "" {
		t.Errorf("a target not set must give no verdict: %v", year.Rows[row-1])
	}
	if row, _ := year.Find("查处吸毒人员（公安数据）"); row == 0 || year.Cell(row, 2) != "12" {
		t.Errorf("police figure as entered: %v", year.Rows)
	}
}

// checkTotals finds the total column (合计) and compares each row.
func checkTotals(t *testing.T, what string, s *xlsxread.Sheet, total Row) {
	t.Helper()
	head, col := s.Find("合计")
	if head != headerRows {
		t.Fatalf("%s: no total column in the header of %q", what, s.Name)
	}
	first := head + 1
	if s.Cell(first, 1) == "报送状态" {
		first++
	}
	for i, d := range Defs {
		if got, want := s.Cell(first+i, col), cellText(d.Value(total.Counts)); got != want {
			t.Errorf("%s total %s (row %d): openpyxl read %q, want %q", what, d.ID, first+i, got, want)
		}
		if label := s.Cell(first+i, 2); label != T("zh", "report.metric."+d.ID) {
			t.Errorf("%s row %d label %q, want %s", what, first+i, label, d.ID)
		}
	}
}

// checkHandCount compares the total column of the township sheet, as
// openpyxl reads it, with the fixture's October counted by hand (october and
// octoberRates in report_test.go), not with what the code computed.
func checkHandCount(t *testing.T, s *xlsxread.Sheet) {
	t.Helper()
	head, col := s.Find("合计")
	first := head + 1
	if s.Cell(first, 1) == "报送状态" {
		first++
	}
	for i, d := range Defs {
		want := strconv.Itoa(october[d.ID])
		if d.Kind == Rate {
			want = octoberRates[d.ID]
		}
		if got := s.Cell(first+i, col); got != want {
			t.Errorf("township total %s (row %d): openpyxl read %q, the hand count is %q", d.ID, first+i, got, want)
		}
	}
}

// cellText is a cell value as openpyxl prints it.
func cellText(v any) string {
	switch v := v.(type) {
	case int:
		return strconv.Itoa(v)
	case string:
		return v
	}
	return fmt.Sprint(v)
}
