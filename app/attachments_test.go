package app

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"rehabdesk/store"
)

// filesOf opens the attachments tab of a fresh person's file; attachment
// copies go to a temporary folder of the test's own.
func filesOf(t *testing.T) (*UI, *filesTab, string, string) {
	t.Setenv("TMPDIR", t.TempDir())
	u := signedInUI(t, LangZH)
	f, p, m := dutyFile(t, u, 30)
	if f.files == nil {
		t.Fatal("no attachments tab for an officer")
	}
	return u, f.files, p, m
}

func writeTestPNG(t *testing.T, path string) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := range 40 {
		img.Set(x, x%30, color.RGBA{200, 0, 0, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// attach runs the attach dialog on a file: a kind and the record it
// belongs to (0: the person's file).
func attach(t *testing.T, ft *filesTab, path string, kind, belongs int) *dutyDialog {
	t.Helper()
	ft.attachFile(path)
	dd := ft.last
	dd.selects["kind"].SetSelectedIndex(kind)
	dd.selects["event"].SetSelectedIndex(belongs)
	test.Tap(dd.ok)
	return dd
}

// viewDirs lists the attachment copies in the temporary folder.
func viewDirs(t *testing.T) []string {
	t.Helper()
	ds, _ := filepath.Glob(filepath.Join(os.TempDir(), viewPrefix+"*"))
	return ds
}

func TestAttachAPhotoToAnEventListItAndPreviewItInTheApp(t *testing.T) {
	u, ft, _, m := filesOf(t)
	path := filepath.Join(t.TempDir(), "尿检照片.png")
	data := writeTestPNG(t, path)
	_, names := ft.eventChoices()
	measure := -1
	for i, n := range names {
		if strings.HasPrefix(n, T("kind.measure")) {
			measure = i
		}
	}
	if measure < 1 {
		t.Fatalf("the measure is not offered: %v", names)
	}
	attach(t, ft, path, 3, measure)
	got := tableText(ft.table)
	if len(ft.recs) != 1 || !strings.Contains(got, "尿检照片.png") || !strings.Contains(got, "照片") || !strings.Contains(got, T("kind.measure")) {
		t.Fatalf("attachment list:\n%s", got)
	}
	if ft.recs[0].Get("event") != m {
		t.Fatalf("attached to %q, want the measure", ft.recs[0].Get("event"))
	}
	ft.choose(0)
	test.Tap(ft.view)
	if ft.shown == nil || ft.shown.image == nil {
		t.Fatalf("no preview: %q", overlayText(u))
	}
	if res := ft.shown.image.Resource; res == nil || !bytes.Equal(res.Content(), data) {
		t.Error("the preview does not show the attached image")
	}
	if ds := viewDirs(t); len(ds) != 0 {
		t.Errorf("an image preview wrote %v", ds)
	}
}

func TestPDFGoesToTheViewerAsAPrivateCopyRemovedWhenTheViewCloses(t *testing.T) {
	u, ft, _, _ := filesOf(t)
	pdf := append([]byte("%PDF-1.4\n"), []byte("决定书 SECRET")...)
	path := filepath.Join(t.TempDir(), "决定书.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	attach(t, ft, path, 0, 0)
	var handed []string
	old := openInViewer
	openInViewer = func(_ *UI, p string) error { handed = append(handed, p); return nil }
	defer func() { openInViewer = old }()
	ft.open(ft.recs[0].ID)
	if len(handed) != 1 {
		t.Fatalf("viewer got %v", handed)
	}
	fi, err := os.Stat(handed[0])
	b, _ := os.ReadFile(handed[0])
	if err != nil || fi.Mode().Perm() != 0o600 || !bytes.Equal(b, pdf) || strings.Contains(handed[0], "决定书") {
		t.Fatalf("copy %s: %v %v", handed[0], fi.Mode(), err)
	}
	if di, _ := os.Stat(filepath.Dir(handed[0])); di.Mode().Perm() != 0o700 {
		t.Errorf("copy folder mode %v", di.Mode())
	}
	tapDialogButton(t, u, T("files.close_viewer"))
	if _, err := os.Stat(handed[0]); !os.IsNotExist(err) || len(viewDirs(t)) != 0 {
		t.Fatalf("the copy outlives the view: %v %v", err, viewDirs(t))
	}
	ft.open(ft.recs[0].ID) // left open, then the app locks
	u.lockNow()
	if len(viewDirs(t)) != 0 {
		t.Errorf("the copy outlives the session: %v", viewDirs(t))
	}
}

func TestAFileOverTheLimitIsRefusedWithTheLimitAndAnUnknownTypeToo(t *testing.T) {
	u, ft, _, _ := filesOf(t)
	big := filepath.Join(t.TempDir(), "scan.pdf")
	if err := os.WriteFile(big, nil, 0o600); err != nil || os.Truncate(big, store.MaxAttachment+1) != nil {
		t.Fatalf("a sparse file over the limit: %v", err)
	}
	ft.attachFile(big)
	if msg := overlayText(u); !strings.Contains(msg, "附件最大 20.0 MB") {
		t.Fatalf("over the limit: %q", msg)
	}
	dismissDialogs(u)
	doc := filepath.Join(t.TempDir(), "a.pdf")
	if err := os.WriteFile(doc, []byte("PK\x03\x04 not a pdf"), 0o600); err != nil {
		t.Fatal(err)
	}
	dd := attach(t, ft, doc, 0, 0)
	if !dd.errL.Visible() || !strings.Contains(dd.errL.Text, "jpg、png") {
		t.Fatalf("a zip named .pdf: %q", dd.errL.Text)
	}
	if len(ft.recs) != 0 {
		t.Error("a refused file is listed")
	}
}
