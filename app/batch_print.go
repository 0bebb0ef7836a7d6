package app

import (
	"fyne.io/fyne/v2"

	"rehabdesk/assets"
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

// writeSheet prints the sheet off the UI thread, with progress and
// cancel; the paper package audits the export and writes through a
// temporary file, so a failed or cancelled print leaves no half-written
// PDF under the name.
func (b *batchScreen) writeSheet(path string) {
	h, rows, st := b.sheetHeader(), b.sheetRows(), b.ui.st
	job := b.ui.startPrint(T("batch.print"))
	b.ui.opt.Background(func() {
		err := paper.ExportSheet(job.ctx, st, path, h, rows, job.progress)
		fyne.Do(func() {
			job.finish(err, func() { b.ui.showMessage(T("batch.print"), T("batch.sheet_saved", len(rows), path)) })
		})
	})
}

func (b *batchScreen) sheetHeader() paper.SheetHeader {
	day, _ := b.day()
	h := paper.SheetHeader{Kind: paper.TestSheet, Township: assets.Name(b.ui.st.Township()), Date: day.Time()}
	if b.mode == batchVisits {
		h.Kind = paper.VisitSheet
	}
	if i := b.scope.SelectedIndex(); i > 0 && i < len(b.scopes) && b.scopes[i].village != "" {
		h.Village = assets.Name(b.scopes[i].village)
	}
	return h
}

// sheetRows are the listed persons with their village and due date; a
// sheet goes to volunteers, so it never carries an ID number.
func (b *batchScreen) sheetRows() []paper.SheetRow {
	rows := make([]paper.SheetRow, len(b.shown))
	for i, it := range b.shown {
		rows[i] = paper.SheetRow{Name: it.Person.Name, Detail: T("batch.sheet_detail", assets.Name(it.Person.Village), formatDate(it.Due.String()))}
	}
	return rows
}
