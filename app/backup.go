package app

import (
	"context"
	"errors"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/store"
)

// errNotCount is a threshold that is not a whole number; the form shows it
// translated through settings.threshold_bad.
var errNotCount = errors.New("not a whole number")

// backupForm writes an encrypted backup of the whole database to a file
// (a USB stick), protected by a passphrase of its own.
type backupForm struct {
	ui       *UI
	pass     *widget.Entry
	pass2    *widget.Entry
	progress *widget.ProgressBar
	status   *widget.Label
	start    *widget.Button
}

func newBackupForm(u *UI) *backupForm {
	b := &backupForm{ui: u, pass: &widget.Entry{Password: true}, pass2: &widget.Entry{Password: true},
		progress: &widget.ProgressBar{}, status: &widget.Label{Wrapping: fyne.TextWrapWord}}
	b.progress.Hide()
	b.start = &widget.Button{Text: T("settings.backup_start"), Importance: widget.HighImportance, OnTapped: b.pick}
	return b
}

func (b *backupForm) content() fyne.CanvasObject {
	help := &widget.Label{Text: T("settings.backup_help"), Wrapping: fyne.TextWrapWord}
	form := &widget.Form{Items: []*widget.FormItem{
		{Text: T("settings.backup_pass"), Widget: b.pass},
		{Text: T("settings.backup_pass2"), Widget: b.pass2},
	}}
	return container.NewVBox(help, form, container.NewHBox(b.start), b.progress, b.status)
}

func (b *backupForm) pick() {
	if err := store.CheckPassword("", b.pass.Text); err != nil {
		b.ui.showError(err)
		return
	}
	if b.pass.Text != b.pass2.Text {
		b.ui.showMessage(T("settings.backup"), T("firstrun.mismatch"))
		return
	}
	b.ui.pickSavePath("rehabdesk-"+b.ui.st.Today().Format("20060102")+".backup", b.run)
}

// run writes the backup off the UI thread with a progress bar.
func (b *backupForm) run(path string) {
	pass := b.pass.Text
	b.start.Disable()
	b.progress.SetValue(0)
	b.progress.Show()
	progress := func(done, total int64) {
		if total > 0 {
			fyne.Do(func() { b.progress.SetValue(float64(done) / float64(total)) })
		}
	}
	b.ui.opt.Background(func() {
		err := writeBackup(b.ui.ctx, b.ui.st, path, pass, progress)
		fyne.Do(func() { b.done(path, err) })
	})
}

// writeBackup writes through a temporary file that takes the chosen name
// only when complete (store.BackupFile), so a failed backup never looks like
// a good one. The save dialog has already created the file empty; only such
// an empty file is replaced.
func writeBackup(ctx context.Context, st *store.Store, path, pass string, progress func(int64, int64)) error {
	if fi, err := os.Stat(path); err == nil && fi.Size() == 0 {
		os.Remove(path)
	}
	_, err := store.BackupFile(ctx, st, path, pass, progress)
	return err
}

func (b *backupForm) done(path string, err error) {
	b.start.Enable()
	b.progress.Hide()
	if err != nil {
		b.ui.showError(err)
		return
	}
	b.pass.SetText("")
	b.pass2.SetText("")
	b.status.SetText(T("settings.backup_done", path))
}
