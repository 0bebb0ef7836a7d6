package ledger

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"rehabdesk/internal/xlsxread"
	"rehabdesk/store"
)

// TestExportKeepsWillingToWork exports persons of whom some are willing to
// work (就业意愿) as a workbook, reads it with openpyxl (是 for the willing,
// 否 for the others, under its own header), and imports it into an empty
// database: every person is as willing as before, and the export of that
// database is the same file.
func TestExportKeepsWillingToWork(t *testing.T) {
	xlsxread.Need(t)
	ctx := context.Background()
	s := newStore(t)
	importBytes(t, s, generated(t, 12, 5))
	persons, err := s.List(ctx, store.KindPerson, store.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{} // ID number → 是/否
	for i, p := range persons {
		want[p.Get("id_number")] = "否"
		if i%3 == 0 {
			if _, err := s.Put(ctx, store.KindPerson, p.ID, map[string]string{"willing_to_work": "1"}); err != nil {
				t.Fatal(err)
			}
			want[p.Get("id_number")] = "是"
		}
	}
	path := filepath.Join(t.TempDir(), "ledger.xlsx")
	if _, err := ExportFile(ctx, s, path); err != nil {
		t.Fatal(err)
	}
	sheet := xlsxread.MustRead(t, path)[0]
	_, col := sheet.Find("就业意愿")
	_, idCol := sheet.Find("身份证号")
	if col == 0 || idCol == 0 {
		t.Fatalf("openpyxl finds no 就业意愿 or 身份证号 header: %v", sheet.Rows[0])
	}
	for r := 2; r <= len(sheet.Rows); r++ {
		if id := sheet.Cell(r, idCol); sheet.Cell(r, col) != want[id] {
			t.Errorf("row %d (%s): 就业意愿 %q, want %q", r, id, sheet.Cell(r, col), want[id])
		}
	}
	fresh := newStore(t)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rep := importBytes(t, fresh, data)
	if rep.New != len(persons) {
		t.Fatalf("re-import: %d new of %d", rep.New, len(persons))
	}
	for _, p := range rep.Problems {
		if p.Column == "就业意愿" {
			t.Errorf("re-import: %v", p)
		}
	}
	back, err := fresh.List(ctx, store.KindPerson, store.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range back {
		if got := yesNo(p.Get("willing_to_work")); got != want[p.Get("id_number")] {
			t.Errorf("%s re-imported willing %q, exported %q", p.Get("id_number"), got, want[p.Get("id_number")])
		}
	}
	if a, b := exportCSV(t, s), exportCSV(t, fresh); !bytes.Equal(a, b) {
		t.Errorf("the re-imported database exports differently:\n%s\n---\n%s", a, b)
	}
}
