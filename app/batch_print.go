package app

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"

	"rehabdesk/store"
	"rehabdesk/store/paper"
)

// onPrint saves the listed persons as a paper sheet (PDF) for volunteers
// who log a test day or a visit round on paper; the filled sheet is typed
// back on this screen, in the same order.
func (b *batchScreen) onPrint() {
	if len(b.rows) == 0 {
		b.ui.showMessage(T("batch.print"), T("batch.none_due"))
		return
	}
	if _, err := b.day(); err != nil {
		b.ui.showError(err)
		return
	}
	b.ui.pickSavePath(T("batch.sheet_file", b.modeName(), b.date.Text)+".pdf", b.writeSheet)
}

// modeName is the short name of the mode, for file names.
func (b *batchScreen) modeName() string {
	if b.mode == batchVisits {
		return T("batch.mode_visits")
	}
	return T("batch.mode_tests")
}

// writeSheet audits the export, then writes the sheet through a temporary
// file, so that a failure leaves no half-written PDF under the name.
func (b *batchScreen) writeSheet(path string) {
	var buf bytes.Buffer
	if err := paper.WriteSheet(&buf, b.sheetHeader(), b.sheetRows()); err != nil {
		b.ui.showError(err)
		return
	}
	detail := store.AuditDetail(store.AuditPaperSheet, string(b.mode.kind), strconv.Itoa(len(b.rows)))
	if err := b.ui.st.Audit(b.ui.ctx, store.ActionExport, "", detail); err != nil {
		b.ui.showError(err)
		return
	}
	if err := writeFileAtomic(path, buf.Bytes()); err != nil {
		b.ui.showError(err)
		return
	}
	b.ui.showMessage(T("batch.print"), T("batch.sheet_saved", len(b.rows), path))
}

func (b *batchScreen) sheetHeader() paper.SheetHeader {
	day, _ := b.day()
	h := paper.SheetHeader{Kind: paper.TestSheet, Township: divisionName(b.ui.st.Township()), Date: day.Time()}
	if b.mode == batchVisits {
		h.Kind = paper.VisitSheet
	}
	if i := b.scope.SelectedIndex(); i > 0 && i < len(b.scopes) && b.scopes[i].village != "" {
		h.Village = divisionName(b.scopes[i].village)
	}
	return h
}

// sheetRows are the listed persons with their village and due date; a
// sheet goes to volunteers, so it never carries an ID number.
func (b *batchScreen) sheetRows() []paper.SheetRow {
	rows := make([]paper.SheetRow, len(b.shown))
	for i, it := range b.shown {
		rows[i] = paper.SheetRow{Name: it.Person.Name, Detail: T("batch.sheet_detail", divisionName(it.Person.Village), formatDate(it.Due.String()))}
	}
	return rows
}

// writeFileAtomic writes data to a temporary file beside path and renames
// it into place.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename, there is nothing left to remove
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
