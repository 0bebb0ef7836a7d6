package app

import (
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"
)

// prefLastFolder is the folder of the last file chosen in a file dialog.
const prefLastFolder = "last_folder"

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
		u.rememberFolder(w.URI().Path())
		then(w.URI().Path())
	}, u.win)
	d.SetFileName(name)
	u.showFileDialog(d, true, then)
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
		u.rememberFolder(r.URI().Path())
		then(r.URI().Path())
	}, u.win)
	if len(exts) > 0 {
		d.SetFilter(storage.NewExtensionFileFilter(exts))
	}
	u.showFileDialog(d, false, then)
}

// showFileDialog opens a file dialog in the last used folder, or else in
// Documents or on the Desktop, with its places in the officer's language.
// A path can also be typed or pasted (see addPathEntry).
func (u *UI) showFileDialog(d *dialog.FileDialog, save bool, then func(path string)) {
	if dir := u.startFolder(); dir != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
			d.SetLocation(l)
		}
	}
	d.Resize(fileDialogSize)
	d.Show()
	top := u.win.Canvas().Overlays().Top()
	translatePlaces(top)
	u.addPathEntry(top, d, save, then)
}

// addPathEntry puts a path entry under the file dialog's title: Enter on
// a folder opens it; on a file (or, when saving, a new file in an
// existing folder) chooses it — a path copied from the file manager or a
// message is quicker than clicking through folders.
func (u *UI) addPathEntry(top fyne.CanvasObject, d *dialog.FileDialog, save bool, then func(path string)) {
	pop, ok := top.(*widget.PopUp)
	if !ok {
		return
	}
	header := fileDialogHeader(pop)
	if header == nil {
		return
	}
	e := &widget.Entry{PlaceHolder: T("app.path_hint")}
	e.OnSubmitted = func(p string) { u.typedPath(d, strings.TrimSpace(p), save, then) }
	header.Objects[0] = container.NewVBox(header.Objects[0], e)
	header.Refresh()
	pop.Resize(pop.Size())
	pop.Refresh()
}

// fileDialogHeader is the title row of Fyne's file dialog: the child of
// its top-level border that starts with the title label.
func fileDialogHeader(pop *widget.PopUp) *fyne.Container {
	ui, ok := pop.Content.(*fyne.Container)
	if !ok {
		return nil
	}
	for _, o := range ui.Objects {
		if c, ok := o.(*fyne.Container); ok && len(c.Objects) == 2 {
			if _, isLabel := c.Objects[0].(*widget.Label); isLabel {
				return c
			}
		}
	}
	return nil
}

// typedPath opens a typed folder in the dialog or chooses a typed file.
func (u *UI) typedPath(d *dialog.FileDialog, p string, save bool, then func(path string)) {
	p = filepath.Clean(p)
	st, err := os.Stat(p)
	switch {
	case err == nil && st.IsDir():
		if l, err := storage.ListerForURI(storage.NewFileURI(p)); err == nil {
			d.SetLocation(l)
		}
		return
	case err == nil || (save && os.IsNotExist(err) && dirExists(filepath.Dir(p))):
		d.Hide()
		u.rememberFolder(p)
		then(p)
	default:
		u.showMessage(T("app.path_title"), T("app.path_missing", p))
	}
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

func (u *UI) rememberFolder(path string) {
	u.app.Preferences().SetString(prefLastFolder, filepath.Dir(path))
}

// startFolder is the first of the last used folder, Documents (文档) and
// Desktop (桌面) that exists; "" leaves Fyne's choice.
func (u *UI) startFolder() string {
	cands := []string{u.app.Preferences().String(prefLastFolder)}
	if home, err := os.UserHomeDir(); err == nil {
		for _, n := range []string{"Documents", "文档", "Desktop", "桌面"} {
			cands = append(cands, filepath.Join(home, n))
		}
	}
	for _, c := range cands {
		if st, err := os.Stat(c); c != "" && err == nil && st.IsDir() {
			return c
		}
	}
	return ""
}

// translatePlaces makes the file dialog's list of places ("Home",
// "Computer", "Documents"...) speak the officer's language: Fyne 2.7
// shows those names as they are, without lang.L, so each row is passed
// through lang.L after Fyne fills it (keys under translations/app).
func translatePlaces(root fyne.CanvasObject) {
	walkObjects(root, func(o fyne.CanvasObject) {
		l, ok := o.(*widget.List)
		if !ok || l.UpdateItem == nil {
			return
		}
		update := l.UpdateItem
		l.UpdateItem = func(id widget.ListItemID, item fyne.CanvasObject) {
			update(id, item)
			if c, ok := item.(*fyne.Container); ok && len(c.Objects) > 1 {
				if label, ok := c.Objects[1].(*widget.Label); ok {
					label.SetText(lang.L(label.Text))
				}
			}
		}
		l.Refresh()
	})
}

// walkObjects visits the objects under o through the public fields of
// the containers a file dialog is made of (pop-up, containers, split).
func walkObjects(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	visit(o)
	switch v := o.(type) {
	case *widget.PopUp:
		walkObjects(v.Content, visit)
	case *fyne.Container:
		for _, c := range v.Objects {
			walkObjects(c, visit)
		}
	case *container.Split:
		walkObjects(v.Leading, visit)
		walkObjects(v.Trailing, visit)
	case *container.Scroll:
		walkObjects(v.Content, visit)
	}
}
