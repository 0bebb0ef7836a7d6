package app

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
	"rehabdesk/store/search"
)

const (
	testTownship = "520102016"
	testUser     = "officer"
	testPassword = "correct horse"
)

// testOptions make unlock cheap and run background jobs at once.
func testOptions() Options {
	return Options{Store: store.Options{KDF: storetest.FastKDF}, Background: func(job func()) { job() }}
}

// newTestUI starts the GUI in Fyne's test driver on a database path in a
// temporary folder, in Chinese unless lang says otherwise.
func newTestUI(t *testing.T, path, lang string) *UI {
	t.Helper()
	return newTestUIWith(t, path, lang, testOptions())
}

// newTestUIWith is newTestUI with options of the test's own (a clock).
func newTestUIWith(t *testing.T, path, lang string, opt Options) *UI {
	t.Helper()
	t.Setenv("LANG", map[string]string{LangZH: "zh_CN.UTF-8", LangEN: "en_US.UTF-8"}[lang])
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLang, lang)
	u := New(a, path, opt)
	t.Cleanup(func() {
		if u.shell != nil {
			u.shell.close()
		}
		if u.st != nil {
			u.st.Close()
		}
		useLanguage(LangZH)
	})
	u.win.Resize(fyne.NewSize(1280, 720))
	u.Start()
	return u
}

// newDB creates a township database with one officer and returns its path.
func newDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "rehabdesk.db")
	st, err := store.Create(context.Background(), path, testTownship, testUser, testPassword, store.Options{KDF: storetest.FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	return path
}

// signedInUI opens a fresh database and signs in through the form.
func signedInUI(t *testing.T, lang string) *UI {
	t.Helper()
	u := newTestUI(t, newDB(t), lang)
	signInWith(t, u, testUser, testPassword)
	if u.shell == nil {
		t.Fatalf("not signed in; dialogs: %q", overlayText(u))
	}
	return u
}

func signInWith(t *testing.T, u *UI, user, pw string) {
	t.Helper()
	if u.signIn == nil {
		t.Fatal("the sign-in form is not shown")
	}
	u.signIn.user.SetText(user)
	test.Type(u.signIn.password, pw)
	test.Tap(u.signIn.submit)
}

// texts collects the visible words under objects: labels, buttons, text.
func texts(objs ...fyne.CanvasObject) string {
	var b strings.Builder
	for _, o := range objs {
		for _, x := range test.LaidOutObjects(o) {
			if !x.Visible() {
				continue
			}
			switch v := x.(type) {
			case *widget.Label:
				b.WriteString(v.Text + "\n")
			case *canvas.Text:
				b.WriteString(v.Text + "\n")
			case *widget.Button:
				b.WriteString(v.Text + "\n")
			}
		}
	}
	return b.String()
}

// overlayText is the text of the dialogs open over the window.
func overlayText(u *UI) string {
	return texts(u.win.Canvas().Overlays().List()...)
}

// dismissDialogs closes every dialog, as a tap on its button would.
func dismissDialogs(u *UI) {
	ov := u.win.Canvas().Overlays()
	for top := ov.Top(); top != nil; top = ov.Top() {
		ov.Remove(top)
	}
}

// addPerson writes a person straight to the store.
func addPerson(t *testing.T, u *UI, name, id string, extra map[string]string) string {
	t.Helper()
	fields := map[string]string{"name": name, "id_number": id}
	for k, v := range extra {
		fields[k] = v
	}
	pid, err := u.st.Put(context.Background(), store.KindPerson, "", fields)
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

// lastForm is the innermost open record form.
func lastForm(t *testing.T, u *UI) *recordForm {
	t.Helper()
	if len(u.forms) == 0 {
		t.Fatal("no form is open")
	}
	return u.forms[len(u.forms)-1]
}

func typeInto(t *testing.T, f *recordForm, field, text string) {
	t.Helper()
	in, ok := f.in[field].(typed)
	if !ok {
		t.Fatalf("field %s is not a text field", field)
	}
	in.entry().SetText("")
	test.Type(in.entry(), text)
}

func choose(t *testing.T, f *recordForm, field, code string) {
	t.Helper()
	switch c := f.in[field].(type) {
	case *choiceInput, *radioInput:
		c.set(code)
	default:
		t.Fatalf("field %s is not a choice", field)
	}
}

// tableText renders every cell of a table through its own callbacks, as
// the table does when it draws them, and joins them line by line.
func tableText(tb *widget.Table) string {
	var b strings.Builder
	rows, cols := tb.Length()
	for r := range rows {
		for c := range cols {
			o := tb.CreateCell()
			tb.UpdateCell(widget.TableCellID{Row: r, Col: c}, o)
			b.WriteString(o.(*widget.Label).Text + "\t")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// tapDialogButton taps the button with this text in the open dialogs.
func tapDialogButton(t *testing.T, u *UI, text string) {
	t.Helper()
	for _, o := range u.win.Canvas().Overlays().List() {
		for _, x := range test.LaidOutObjects(o) {
			if b, ok := x.(*widget.Button); ok && b.Text == text && b.Visible() {
				test.Tap(b)
				return
			}
		}
	}
	t.Fatalf("no dialog button %q in %q", text, overlayText(u))
}

// searchAll is a query for every person.
func searchAll() search.Query { return search.Query{} }
