package paper

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
)

func paperStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Create(context.Background(), filepath.Join(t.TempDir(), "p.db"), "520102016", "officer", "secret-pass",
		store.Options{KDF: storetest.FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestExportSheetReportsEachRowAndIsAudited: progress climbs one step a
// row to the end, the PDF at the chosen path lists every person, and the
// export is in the audit log.
func TestExportSheetReportsEachRowAndIsAudited(t *testing.T) {
	st := paperStore(t)
	path := filepath.Join(t.TempDir(), "sheet.pdf")
	rows := sheetRows(45)
	var steps []int
	err := ExportSheet(context.Background(), st, path, SheetHeader{Kind: VisitSheet, Township: "青岩镇", Printed: printedAt}, rows,
		func(done, total int) {
			if total != len(rows)+1 {
				t.Errorf("progress total %d, want %d", total, len(rows)+1)
			}
			steps = append(steps, done)
		})
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != len(rows)+1 || steps[0] != 1 || steps[len(steps)-1] != len(rows)+1 {
		t.Errorf("progress steps %v", steps)
	}
	pdf, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readBack(t, "", pdf, "人员走访登记表", rows[0].Name, rows[44].Name)
	log, err := st.AuditLog(context.Background(), store.AuditFilter{Action: store.ActionExport})
	if err != nil || len(log) != 1 || log[0].Detail != SheetAuditDetail(VisitSheet, 45) {
		t.Errorf("audit of the sheet: %+v, %v", log, err)
	}
}

// TestCancelledSheetLeavesNoFile: cancelling half-way through the rows
// leaves the file that was at the path as it was and no temporary file
// in the folder; cancelling a fresh path leaves nothing at all.
func TestCancelledSheetLeavesNoFile(t *testing.T) {
	st := paperStore(t)
	dir := t.TempDir()
	kept := filepath.Join(dir, "kept.pdf")
	if err := os.WriteFile(kept, []byte("earlier sheet"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{kept, filepath.Join(dir, "new.pdf")} {
		ctx, cancel := context.WithCancel(context.Background())
		rows := sheetRows(60)
		err := ExportSheet(ctx, st, path, SheetHeader{Kind: TestSheet, Printed: printedAt}, rows, func(done, _ int) {
			if done == len(rows)/2 {
				cancel()
			}
		})
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: cancelled print returned %v", path, err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 1 {
		t.Fatalf("after two cancelled prints the folder holds %v (%v), want kept.pdf alone", entries, err)
	}
	if b, _ := os.ReadFile(kept); string(b) != "earlier sheet" {
		t.Errorf("a cancelled print changed the file at its path: %.20q", b)
	}
}

// TestCancelledExportLeavesNoFile: a person's paper exported under a
// cancelled context writes nothing and logs nothing.
func TestCancelledExportLeavesNoFile(t *testing.T) {
	st := paperStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	path := filepath.Join(t.TempDir(), "file.pdf")
	if err := Export(ctx, st, path, testFile(), Paper{Doc: DocFile}, printedAt); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled export returned %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a cancelled export left a file: %v", err)
	}
	if log, err := st.AuditLog(context.Background(), store.AuditFilter{Action: store.ActionExport}); err != nil || len(log) != 0 {
		t.Errorf("a cancelled export was audited: %+v, %v", log, err)
	}
}

// TestSaveAtomicNeverShowsAHalfFile: a write that fails half-way, or is
// cancelled while it runs, leaves nothing under the chosen name and no
// temporary file beside it.
func TestSaveAtomicNeverShowsAHalfFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "half.pdf")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	failing := func(w io.Writer) error {
		if _, err := w.Write([]byte("%PDF-1.3 half")); err != nil {
			return err
		}
		return errors.New("disk full")
	}
	cancelled := func(w io.Writer) error {
		_, err := w.Write([]byte("%PDF-1.3 whole"))
		cancel()
		return err
	}
	if err := saveAtomic(context.Background(), path, failing); err == nil {
		t.Error("a failed write reported success")
	}
	if err := saveAtomic(ctx, path, cancelled); !errors.Is(err, context.Canceled) {
		t.Errorf("a write cancelled while it ran returned %v", err)
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
		t.Errorf("the folder holds %v (%v), want nothing", entries, err)
	}
}
