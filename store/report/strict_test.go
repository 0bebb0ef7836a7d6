package report

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"rehabdesk/internal/xlsxread"
)

// TestWorkbooksOpenInOpenpyxl writes the township and county workbooks and
// reads them back with openpyxl, the strict reader county analysts use: it
// refused border colours written as rgb="FF". The totals read back must be
// the report's.
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
	checkTotals(t, "township", &sheets[0], r.Total, metricColumns("zh"))

	sub := submittedOf(t, r)
	c := Combine("520102", "2026-10", []*Submitted{sub}, []string{"520102016", "520102001"}, nil, f.clk.t)
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
	checkTotals(t, "county", &sheets[0], c.Total, metricColumns("zh"))
}

// checkTotals finds the totals row (合计) and compares each metric column.
func checkTotals(t *testing.T, what string, s *xlsxread.Sheet, total Row, cols []column) {
	t.Helper()
	row, col := s.Find("合计")
	if row == 0 || col != 1 {
		t.Fatalf("%s: no totals row in %q", what, s.Name)
	}
	for i, c := range cols {
		want := cellText(c.value(total))
		if got := s.Cell(row, i+2); got != want {
			t.Errorf("%s total %s: openpyxl read %q, want %q", what, c.label, got, want)
		}
	}
}

func submittedOf(t *testing.T, m *Monthly) *Submitted {
	t.Helper()
	v, err := EncodeSubmission(m, time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	s, err := DecodeSubmission(v)
	if err != nil {
		t.Fatal(err)
	}
	return s
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
