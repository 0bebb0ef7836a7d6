package paper

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"codeberg.org/go-pdf/fpdf"

	"rehabdesk/store"
)

// Progress is told how far a long print has got: done of total steps. It
// is called on the printing goroutine.
type Progress func(done, total int)

// ExportSheet prints a sheet into the file at path, a place the user
// chose, reporting each row laid out and the file written to progress
// (which may be nil). Cancelling ctx stops it between rows or before the
// file is renamed into place: a cancelled or failed print leaves no
// half-written PDF at path, and a file already there stays as it was.
// The export is recorded in the audit log before the file is written.
func ExportSheet(ctx context.Context, st *store.Store, path string, h SheetHeader, rows []SheetRow, progress Progress) error {
	if progress == nil {
		progress = func(int, int) {}
	}
	pdf, err := drawSheet(ctx, h, rows, progress)
	if err != nil {
		return fmt.Errorf("export sheet: %w", err)
	}
	if err := st.Audit(ctx, store.ActionExport, "", SheetAuditDetail(h.Kind, len(rows))); err != nil {
		return fmt.Errorf("export sheet: %w", err)
	}
	err = saveAtomic(ctx, path, func(w io.Writer) error { return safely(func() error { return pdf.Output(w) }) })
	if err != nil {
		return fmt.Errorf("export sheet: %w", err)
	}
	progress(len(rows)+1, len(rows)+1)
	return nil
}

// SheetAuditDetail is the audit log's detail of a printed sheet: the code
// store.AuditPaperSheet with the kind of event it records and the number
// of persons listed.
func SheetAuditDetail(k SheetKind, persons int) string {
	kind := store.KindDrugTest
	if k == VisitSheet {
		kind = store.KindVisit
	}
	return store.AuditDetail(store.AuditPaperSheet, string(kind), strconv.Itoa(persons))
}

// drawSheet lays out a sheet, stopping between rows when ctx is
// cancelled; progress counts the rows laid out, of rows+1 steps (the last
// is writing the file, where the font is subset).
func drawSheet(ctx context.Context, h SheetHeader, rows []SheetRow, progress Progress) (pdf *fpdf.Fpdf, err error) {
	err = safely(func() error {
		pdf = newDoc(sheetTitle(h.Kind), h.Printed)
		s := &sheet{pdf: pdf, h: h, boxes: SheetBoxes(h.Kind)}
		s.boxWidth = s.boxesWidth()
		s.top()
		for i, r := range rows {
			if err := ctx.Err(); err != nil {
				return err
			}
			s.nextRow(i+1, r)
			progress(i+1, len(rows)+1)
		}
		s.sign()
		return nil
	})
	return pdf, err
}

// saveAtomic writes through a temporary file in path's folder, renamed
// onto path only once write succeeded and ctx is still live, so that
// nothing half-written ever bears the name the user chose.
func saveAtomic(ctx context.Context, path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename there is nothing left to remove
	if err := write(tmp); err != nil {
		_ = tmp.Close() // the write's error is the one to report
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
