package paper

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

var testDay = time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)

func sheetRows(n int) []SheetRow {
	names := []string{"王小明", "阿依古丽·买买提", "杨文", "龙德华", "吴秀英"}
	rows := make([]SheetRow, n)
	for i := range rows {
		rows[i] = SheetRow{Name: fmt.Sprintf("%s%02d", names[i%len(names)], i+1), Detail: "社区戒毒 第2年"}
	}
	return rows
}

func TestTestSheetListsEachPersonWithBoxes(t *testing.T) {
	h := SheetHeader{Kind: TestSheet, Township: "青岩镇", Village: "龙井村", Date: testDay, Printed: printedAt}
	pdf := render(t, func(w *bytes.Buffer) error { return WriteSheet(w, h, sheetRows(3)) })
	readBack(t, "sheet_test", pdf, "青岩镇社区戒毒（康复）人员检测登记表", "村（社区）：龙井村", "检测日期：2026年12月8日",
		"王小明01", "阿依古丽·买买提02", "杨文03", "阴 阳 拒 未到", "志愿者（签名）")
}

func TestVisitSheetHasVisitOutcomes(t *testing.T) {
	h := SheetHeader{Kind: VisitSheet, Township: "青岩镇", Village: "龙井村", Date: testDay, Printed: printedAt}
	pdf := render(t, func(w *bytes.Buffer) error { return WriteSheet(w, h, sheetRows(4)) })
	text := readBack(t, "sheet_visit", pdf, "人员走访登记表", "走访日期：2026年12月8日", "龙德华04",
		"入户 约谈 电话 视频 未见到", "走访人员（签名）")
	if strings.Contains(text, "未到") && !strings.Contains(text, "未到或未见到") {
		t.Error("a visit sheet offers the test boxes")
	}
}

// TestSheetPagesEachSigned: a long list runs over pages, every person
// once, and each page carries the signature lines and the column heads.
func TestSheetPagesEachSigned(t *testing.T) {
	h := SheetHeader{Kind: TestSheet, Township: "青岩镇", Printed: printedAt}
	rows := sheetRows(45)
	pdf := render(t, func(w *bytes.Buffer) error { return WriteSheet(w, h, rows) })
	text := readBack(t, "sheet_long", pdf, "检测日期：", "1 / 3")
	pages := strings.Split(strings.TrimRight(text, "\f"), "\f")
	if len(pages) != 3 {
		t.Fatalf("%d pages for 45 rows, want 3", len(pages))
	}
	for i, p := range pages {
		if !strings.Contains(p, "志愿者（签名）") || !strings.Contains(p, "备注（原因）") {
			t.Errorf("page %d lacks the signature line or the column heads", i+1)
		}
	}
	for _, r := range rows {
		if n := strings.Count(squeeze(text), r.Name); n != 1 {
			t.Errorf("%s printed %d times", r.Name, n)
		}
	}
}

// TestSheetIsDeterministicAndSmall: the same sheet prints the same bytes,
// and the PDF embeds only the glyphs used, not the 4 MB font.
func TestSheetIsDeterministicAndSmall(t *testing.T) {
	h := SheetHeader{Kind: TestSheet, Township: "青岩镇", Village: "龙井村", Date: testDay, Printed: printedAt}
	a := render(t, func(w *bytes.Buffer) error { return WriteSheet(w, h, sheetRows(20)) })
	b := render(t, func(w *bytes.Buffer) error { return WriteSheet(w, h, sheetRows(20)) })
	if !bytes.Equal(a, b) {
		t.Error("two prints of the same sheet differ")
	}
	if len(a) > 100<<10 {
		t.Errorf("a 20-person sheet is %d bytes: is the whole font embedded?", len(a))
	}
	t.Logf("20-person sheet: %d bytes", len(a))
}

// TestPrintDateIsChinaTime: printed at 23:30 UTC, it is already the next
// morning in Guizhou, and the paper says so.
func TestPrintDateIsChinaTime(t *testing.T) {
	late := time.Date(2026, 12, 7, 23, 30, 0, 0, time.UTC)
	if got := cnTime(late); got != "2026年12月8日" {
		t.Errorf("23:30 UTC on Dec 7 printed as %s", got)
	}
	if got := cnDate("2026-12-07"); got != "2026年12月7日" {
		t.Errorf("a stored day printed as %s", got)
	}
}
