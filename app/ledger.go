package app

import (
	"context"
	"path/filepath"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/store/ledger"
)

// ledgerScreen (导入导出) imports a person ledger with progress, cancel
// and a per-row problem report, and exports the ledger.
type ledgerScreen struct {
	sh       *shell
	ui       *UI
	progress *widget.ProgressBar
	status   *widget.Label
	cancel   *widget.Button
	importB  *widget.Button
	exportB  *widget.Button
	problems *problemTable
	monthly  *monthlyReport
	saveRep  *widget.Button
	stop     context.CancelFunc
	report   *ledger.Report
}

func newLedgerScreen(sh *shell) *ledgerScreen {
	t := &ledgerScreen{sh: sh, ui: sh.ui, progress: &widget.ProgressBar{}, status: &widget.Label{Wrapping: fyne.TextWrapWord}}
	t.progress.Hide()
	t.cancel = &widget.Button{Text: T("transfer.cancel"), Icon: theme.CancelIcon(), OnTapped: t.onCancel}
	t.cancel.Hide()
	t.importB = &widget.Button{Text: T("transfer.import"), Icon: theme.FolderOpenIcon(), Importance: widget.HighImportance, OnTapped: t.pickImport}
	t.exportB = &widget.Button{Text: T("transfer.export"), Icon: theme.DocumentSaveIcon(), OnTapped: t.pickExport}
	t.saveRep = &widget.Button{Text: T("transfer.save_report"), Icon: theme.DocumentSaveIcon(), OnTapped: t.pickSaveReport}
	t.saveRep.Hide()
	t.problems = newProblemTable()
	t.monthly = newMonthlyReport(sh.ui)
	if sh.ui.st.Session().Role != "officer" {
		t.importB.Disable()
		t.exportB.Disable()
	}
	return t
}

func (t *ledgerScreen) content() fyne.CanvasObject {
	help := &widget.Label{Text: T("transfer.help"), Wrapping: fyne.TextWrapWord}
	top := container.NewVBox(help, container.NewHBox(t.importB, t.exportB, t.cancel), t.progress, t.status, t.saveRep)
	if t.ui.st.Session().Role == "officer" {
		top = container.NewVBox(t.monthly.content(), widget.NewSeparator(), top)
	}
	return container.NewBorder(top, nil, nil, nil, t.problems.table)
}

func (t *ledgerScreen) refresh() {}

// busy switches the screen between idle and a running job.
func (t *ledgerScreen) busy(on bool) {
	if on {
		t.importB.Disable()
		t.exportB.Disable()
		t.cancel.Show()
		t.progress.SetValue(0)
		t.progress.Show()
		return
	}
	t.importB.Enable()
	t.exportB.Enable()
	t.cancel.Hide()
	t.progress.Hide()
	t.stop = nil
}

func (t *ledgerScreen) onCancel() {
	if t.stop != nil {
		t.stop()
	}
}

func (t *ledgerScreen) pickImport() {
	t.ui.pickOpenPath([]string{".xlsx", ".csv"}, t.startImport)
}

// startImport runs the import off the UI thread (the ledger package
// records it in the audit log); each committed batch
// moves the progress bar. Cancel stops between batches, keeping what was
// committed, so the database is consistent either way.
func (t *ledgerScreen) startImport(path string) {
	ctx, stop := context.WithCancel(t.ui.ctx)
	t.stop = stop
	t.busy(true)
	t.status.SetText(T("transfer.importing", filepath.Base(path)))
	opt := ledger.Options{Progress: func(done, total int) {
		fyne.Do(func() {
			t.ui.idle.Touch() // a long import is activity: do not lock under it
			if total > 0 {
				t.progress.SetValue(float64(done) / float64(total))
			}
			t.status.SetText(T("transfer.progress", done, total))
		})
	}}
	t.ui.opt.Background(func() {
		rep, err := ledger.ImportFile(ctx, t.ui.st, path, opt)
		stop()
		fyne.Do(func() { t.importDone(rep, err) })
	})
}

func (t *ledgerScreen) importDone(rep *ledger.Report, err error) {
	t.busy(false)
	t.report = rep
	if rep != nil {
		t.status.SetText(T("transfer.summary", rep.Done, rep.Rows, rep.New, rep.Updated, rep.Unchanged, rep.Rejected, rep.Skipped))
		t.problems.set(rep.Problems)
		if len(rep.Problems) > 0 {
			t.saveRep.Show()
		} else {
			t.saveRep.Hide()
		}
	}
	if err != nil {
		t.ui.showError(err)
	}
	t.sh.reloadAlerts()
	t.sh.people.apply()
	if err == nil && rep != nil && rep.New > 0 {
		proposeBaseline(t.ui) // the first import of a township starts its use
	}
}

func (t *ledgerScreen) pickExport() {
	t.ui.pickSavePath(T("transfer.export_name")+".xlsx", func(path string) {
		if _, ok := ledger.FormatOf(path); !ok {
			path += ".xlsx"
		}
		t.startExport(path)
	})
}

// startExport writes the ledger off the UI thread; the store writes a
// temporary file renamed into place, so cancel leaves no half file.
func (t *ledgerScreen) startExport(path string) {
	ctx, stop := context.WithCancel(t.ui.ctx)
	t.stop = stop
	t.busy(true)
	t.progress.Hide()
	t.status.SetText(T("transfer.exporting", filepath.Base(path)))
	t.ui.opt.Background(func() {
		n, err := ledger.ExportFile(ctx, t.ui.st, path)
		stop()
		fyne.Do(func() {
			t.busy(false)
			if err != nil {
				t.status.SetText("")
				t.ui.showError(err)
				return
			}
			t.status.SetText(T("transfer.exported", n, path))
		})
	})
}

// problemText is one problem as the officer reads it.
func problemText(p ledger.Problem) (row, column, reason string) {
	return strconv.Itoa(p.Row), p.Column, T(p.Key, p.Args...)
}
