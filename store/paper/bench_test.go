package paper

import (
	"io"
	"testing"
)

// BenchmarkWriteFileSummary prints the test file's summary (one A4 page
// and a bit), font subsetting included.
func BenchmarkWriteFileSummary(b *testing.B) {
	f := testFile()
	for b.Loop() {
		if err := Write(io.Discard, f, Paper{Doc: DocFile}, printedAt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteSheet20 prints a 20-person test sheet.
func BenchmarkWriteSheet20(b *testing.B) {
	h := SheetHeader{Kind: TestSheet, Township: "青岩镇", Village: "龙井村", Date: testDay, Printed: printedAt}
	rows := sheetRows(20)
	for b.Loop() {
		if err := WriteSheet(io.Discard, h, rows); err != nil {
			b.Fatal(err)
		}
	}
}
