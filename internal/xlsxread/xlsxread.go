// Package xlsxread reads a workbook back in tests with an independent,
// strict reader: python3-openpyxl run by /usr/bin/python3, the reader the
// county's analysts (and pandas) use. A workbook excelize can read but
// openpyxl refuses (a border colour written as rgb="FF", say) fails here.
package xlsxread

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// Python is the interpreter with openpyxl: Debian's python3-openpyxl.
const Python = "/usr/bin/python3"

// script prints every sheet's cells as JSON: sheet name → rows of cell
// values as text ("" for empty), in sheet order.
const script = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = []
for ws in wb.worksheets:
    rows = [["" if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)) for v in row]
            for row in ws.iter_rows(values_only=True)]
    out.append({"name": ws.title, "rows": rows})
json.dump(out, sys.stdout, ensure_ascii=False)
`

// Sheet is one worksheet as openpyxl read it.
type Sheet struct {
	Name string     `json:"name"`
	Rows [][]string `json:"rows"`
}

// Cell is the text of a cell by 1-based row and column, "" outside the data.
func (s *Sheet) Cell(row, col int) string {
	if row < 1 || row > len(s.Rows) || col < 1 || col > len(s.Rows[row-1]) {
		return ""
	}
	return s.Rows[row-1][col-1]
}

// Find returns the 1-based row and column of the first cell whose text is
// text, or 0, 0.
func (s *Sheet) Find(text string) (row, col int) {
	for r, cells := range s.Rows {
		for c, v := range cells {
			if v == text {
				return r + 1, c + 1
			}
		}
	}
	return 0, 0
}

// Available reports whether python3 with openpyxl can run here.
func Available() bool {
	return exec.Command(Python, "-c", "import openpyxl").Run() == nil
}

// Need skips the test when openpyxl is missing, except under CI (CI=true),
// where .ci/run installs python3-openpyxl and a missing reader is a failure.
func Need(t testing.TB) {
	t.Helper()
	if Available() {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("python3-openpyxl is missing under CI: .ci/run should install it")
	}
	t.Skip("python3-openpyxl not installed (apt-get install python3-openpyxl); the strict workbook check is skipped")
}

// Read opens path with openpyxl and returns its sheets.
func Read(path string) ([]Sheet, error) {
	out, err := exec.Command(Python, "-c", script, path).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return nil, fmt.Errorf("openpyxl refused %s: %w\n%s", path, err, ee.Stderr)
		}
		return nil, fmt.Errorf("run openpyxl: %w", err)
	}
	var sheets []Sheet
	if err := json.Unmarshal(out, &sheets); err != nil {
		return nil, fmt.Errorf("openpyxl output: %w", err)
	}
	return sheets, nil
}

// MustRead is Read for tests: it skips or fails as Need does, and fails the
// test when openpyxl refuses the workbook.
func MustRead(t testing.TB, path string) []Sheet {
	t.Helper()
	Need(t)
	sheets, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	return sheets
}
