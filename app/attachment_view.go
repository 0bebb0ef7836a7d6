package app

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/store"
)

// Attachment content is sealed in the database. An image is shown from
// memory, never written out. A pdf is handed to the system's viewer, which
// needs a file: it is written to a private folder (0700) as a 0600 file
// and removed when the officer closes the dialog that says it is open, and
// in any case when the app locks or closes; folders left by a crash are
// removed at the next start (sweepViews).

// viewPrefix names the private folders of pdfs handed to the viewer.
const viewPrefix = "rehabdesk-view-"

// openInViewer hands a file to the system's viewer; tests replace it.
var openInViewer = func(u *UI, path string) error {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // file:///C:/... on Windows
	}
	return u.app.OpenURL(&url.URL{Scheme: "file", Path: p})
}

// viewFiles are the folders of files handed to the viewer and not yet
// removed, for every window of the process.
var viewFiles = struct {
	sync.Mutex
	dirs map[string]bool
}{dirs: map[string]bool{}}

// attachmentView is one open attachment: its dialog and, for a pdf, the
// folder of its clear copy.
type attachmentView struct {
	d     dialog.Dialog
	image *canvas.Image
	dir   string
}

// close removes the clear copy, if any.
func (v *attachmentView) close() {
	if v.dir != "" {
		removeView(v.dir)
		v.dir = ""
	}
}

// showImage previews an image inside the app, from memory.
func showImage(u *UI, r *store.Record, data []byte) *attachmentView {
	img := canvas.NewImageFromResource(fyne.NewStaticResource(r.Get("filename"), data))
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSize(760, 520))
	v := &attachmentView{image: img}
	v.d = dialog.NewCustom(r.Get("filename"), T("files.close"), img, u.win)
	v.d.Resize(fyne.NewSize(900, 680))
	v.d.Show()
	return v
}

// showInViewer writes a private copy of a pdf, opens it in the system's
// viewer and shows a dialog whose closing removes the copy.
func showInViewer(u *UI, r *store.Record, data []byte) *attachmentView {
	path, err := writeViewCopy(r.ID, data)
	if err != nil {
		u.showError(err)
		return nil
	}
	v := &attachmentView{dir: filepath.Dir(path)}
	if err := openInViewer(u, path); err != nil {
		v.close()
		u.showError(err)
		return nil
	}
	l := &widget.Label{Text: T("files.in_viewer", r.Get("filename")), Wrapping: fyne.TextWrapWord}
	v.d = dialog.NewCustom(r.Get("filename"), T("files.close_viewer"), container.NewVBox(l), u.win)
	v.d.SetOnClosed(v.close)
	v.d.Resize(fyne.NewSize(480, 0))
	v.d.Show()
	return v
}

// writeViewCopy writes content to a new private folder as a 0600 file
// named by the record id (not the person's file name, which may say who
// it is about).
func writeViewCopy(id string, data []byte) (string, error) {
	dir, err := os.MkdirTemp("", viewPrefix)
	if err != nil {
		return "", err
	}
	viewFiles.Lock()
	viewFiles.dirs[dir] = true
	viewFiles.Unlock()
	path := filepath.Join(dir, "attachment-"+id[:min(8, len(id))]+".pdf")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err == nil {
		_, err = f.Write(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		removeView(dir)
		return "", err
	}
	return path, nil
}

func removeView(dir string) {
	os.RemoveAll(dir)
	viewFiles.Lock()
	delete(viewFiles.dirs, dir)
	viewFiles.Unlock()
}

// removeViews removes every clear copy still handed to the viewer: the app
// locks or closes.
func removeViews() {
	viewFiles.Lock()
	dirs := make([]string, 0, len(viewFiles.dirs))
	for d := range viewFiles.dirs {
		dirs = append(dirs, d)
	}
	viewFiles.Unlock()
	for _, d := range dirs {
		removeView(d)
	}
}

// sweepViews removes the folders a crashed run left behind, at start. A
// copy another RehabDesk window is showing right now goes too: a viewer
// that has opened it keeps reading it on Linux, and the officer can open it
// again; a clear copy left for good would be worse.
func sweepViews() {
	es, err := os.ReadDir(os.TempDir())
	if err != nil {
		return
	}
	for _, e := range es {
		if e.IsDir() && strings.HasPrefix(e.Name(), viewPrefix) {
			os.RemoveAll(filepath.Join(os.TempDir(), e.Name()))
		}
	}
}
