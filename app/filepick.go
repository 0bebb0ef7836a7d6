package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
)

// fileDialogSize fits Fyne's file dialogs on a 1366×768 screen.
var fileDialogSize = fyne.NewSize(900, 560)

// pickSavePath asks where to write a file, suggesting name, and hands the
// chosen path to then. The dialog has already created the file empty; the
// writers replace it. Cancelling does nothing; an error is shown in words.
func (u *UI) pickSavePath(name string, then func(path string)) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if w == nil {
			return
		}
		w.Close()
		then(w.URI().Path())
	}, u.win)
	d.SetFileName(name)
	d.Resize(fileDialogSize)
	d.Show()
}

// pickOpenPath asks for a file to read, showing only the given extensions
// (all files when none), and hands its path to then.
func (u *UI) pickOpenPath(exts []string, then func(path string)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if r == nil {
			return
		}
		r.Close()
		then(r.URI().Path())
	}, u.win)
	if len(exts) > 0 {
		d.SetFilter(storage.NewExtensionFileFilter(exts))
	}
	d.Resize(fileDialogSize)
	d.Show()
}
