package ledger

import (
	"bytes"
	"context"
	"encoding/csv"
	"reflect"
	"testing"
)

// messyWithRepeatedHeader is the messy ledger printed over two pages: the
// header repeated between rows 11 and 12, so the duplicate of row 4 (row
// 11) and the conflict with row 6 (now 13) come after it.
func messyWithRepeatedHeader(t *testing.T) []byte {
	t.Helper()
	rows := messyRows()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.WriteAll(append(append(append([][]string{messyTitle, messyUnit, messyHeader}, rows[:8]...), messyHeader), rows[8:]...))
	return b.Bytes()
}

// Rows are parsed batch by batch as the import goes: whatever the batch
// size, the report and the stored persons are those of one batch, the
// duplicates of rows in earlier batches are still found, and the progress
// total is the number of rows known before the first batch.
func TestBatchesParsedAsTheyGoReportTheSame(t *testing.T) {
	data := messyWithRepeatedHeader(t)
	whole := newStore(t)
	want, err := ImportBytes(context.Background(), whole, data, Options{Batch: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if want.Rows != 13 || want.Done != 13 || want.Skipped != 1 || want.Rejected != 4 {
		t.Fatalf("one batch: rows %d done %d skipped %d rejected %d, want 13 13 1 4 (the repeated header and the blank row are no rows)",
			want.Rows, want.Done, want.Skipped, want.Rejected)
	}
	for _, size := range []int{1, 2, 3, 5} {
		s := newStore(t)
		var totals []int
		var last int
		got, err := ImportBytes(context.Background(), s, data, Options{Batch: size, Progress: func(done, total int) {
			totals, last = append(totals, total), done
		}})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("batches of %d: report\n%+v\nwant\n%+v", size, got, want)
		}
		for _, total := range totals {
			if total != want.Rows {
				t.Fatalf("batches of %d: progress total %d, want %d from the first batch on", size, total, want.Rows)
			}
		}
		if last != want.Rows {
			t.Errorf("batches of %d: progress ended at %d of %d", size, last, want.Rows)
		}
		if !bytes.Equal(exportCSV(t, s), exportCSV(t, whole)) {
			t.Errorf("batches of %d: stored persons differ from one batch's", size)
		}
	}
}
