package ledger

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rehabdesk/internal/xlsxread"
)

// TestXLSXExportOpensInOpenpyxl reads the ledger export with openpyxl, the
// strict reader a county analyst uses, and finds every cell of the CSV
// export in it: ID numbers whole (not numbers that lost their last digits),
// dates and names as written.
func TestXLSXExportOpensInOpenpyxl(t *testing.T) {
	xlsxread.Need(t)
	s := newStore(t)
	importBytes(t, s, generated(t, 30, 4))
	var x bytes.Buffer
	if _, err := Export(context.Background(), s, &x, XLSX); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ledger.xlsx")
	if err := os.WriteFile(path, x.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	sheet := xlsxread.MustRead(t, path)[0]
	want, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(exportCSV(t, s), []byte("\xef\xbb\xbf")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(sheet.Rows) != len(want) || len(want) != 31 {
		t.Fatalf("openpyxl read %d rows, the CSV export has %d (want 31: header and 30 persons)", len(sheet.Rows), len(want))
	}
	for r, row := range want {
		for c, v := range row {
			if got := sheet.Cell(r+1, c+1); got != strings.TrimSpace(v) && got != v {
				t.Errorf("row %d column %q: openpyxl read %q, the CSV has %q", r+1, want[0][c], got, v)
			}
		}
	}
}
