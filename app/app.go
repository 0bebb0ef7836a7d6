package app

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/store"
)

// Preference keys kept by Fyne between runs.
const (
	prefLang  = "language"
	prefTheme = "theme"
)

// Options tune the GUI; the zero value is right for the app.
type Options struct {
	Store     store.Options // KDF cost for new passwords; tests use a cheap one
	IdleAfter time.Duration // lock after this long without input; 0 = 10 minutes
	// Background runs long jobs (unlock, import, export) off the UI thread;
	// nil starts a goroutine. Widget tests pass a function that runs the job
	// at once, so they need not wait.
	Background func(job func())
}

// UI is the desktop app: one window whose content is the first-run wizard,
// the sign-in form or the main shell.
type UI struct {
	app  fyne.App
	win  fyne.Window
	path string
	opt  Options
	ctx  context.Context

	st    *store.Store
	idle  *idleLock
	shell *shell
	forms []*recordForm // open forms, innermost last

	// The screen shown before sign-in, kept for tests to drive.
	firstRun *firstRun
	signIn   *signIn
}

// New builds the window for a database path. It loads the language and
// theme saved in the preferences; call Start to show the first screen.
func New(a fyne.App, dbPath string, opt Options) *UI {
	if opt.IdleAfter == 0 {
		opt.IdleAfter = 10 * time.Minute
	}
	if opt.Background == nil {
		opt.Background = func(job func()) { go job() }
	}
	u := &UI{app: a, path: dbPath, opt: opt, ctx: context.Background()}
	useLanguage(a.Preferences().StringWithFallback(prefLang, LangZH))
	a.Settings().SetTheme(newTheme(a.Preferences().StringWithFallback(prefTheme, ThemeSystem)))
	a.SetIcon(IconResource)
	u.win = a.NewWindow(T("app.title"))
	u.win.Resize(fyne.NewSize(1280, 720))
	u.idle = newIdleLock(opt.IdleAfter, u.lockNow)
	u.win.Canvas().SetOnTypedKey(u.onKey)
	u.win.Canvas().SetOnTypedRune(func(rune) { u.idle.Touch() })
	u.win.SetCloseIntercept(u.onCloseRequest)
	u.win.SetOnClosed(u.close)
	return u
}

// Window is the app's only window.
func (u *UI) Window() fyne.Window { return u.win }

// Store is the open database, nil before the first run completes.
func (u *UI) Store() *store.Store { return u.st }

// Start shows the first-run wizard when the database file does not exist,
// and the sign-in form otherwise.
func (u *UI) Start() {
	sweepViews()
	if _, err := os.Stat(u.path); errors.Is(err, fs.ErrNotExist) {
		u.showFirstRun()
		return
	}
	if u.st == nil {
		st, err := store.Open(u.ctx, u.path, u.opt.Store)
		if errors.Is(err, store.ErrNotInitialized) {
			// A first run that failed half-way left an empty file.
			u.showFirstRun()
			return
		}
		if err != nil {
			u.setContent(u.fatalScreen(err))
			return
		}
		u.st = st
	}
	u.showSignIn()
}

// ShowAndRun starts the app and blocks until the window closes.
func (u *UI) ShowAndRun() {
	u.Start()
	u.idle.Start()
	u.startSmoke()
	u.win.ShowAndRun()
}

func (u *UI) showSignIn() {
	if u.shell != nil {
		u.shell.close()
	}
	u.shell, u.forms = nil, nil
	// Dialogs over the records must not survive the lock.
	ov := u.win.Canvas().Overlays()
	for top := ov.Top(); top != nil; top = ov.Top() {
		ov.Remove(top)
	}
	u.win.SetTitle(T("app.title"))
	u.signIn = newSignIn(u)
	u.setContent(u.signIn.content())
	u.signIn.focus()
}

func (u *UI) showFirstRun() {
	u.firstRun = newFirstRun(u)
	u.setContent(u.firstRun.content())
}

// signedIn opens the main shell after a successful unlock or first run.
func (u *UI) signedIn(st *store.Store) {
	u.st = st
	u.firstRun, u.signIn = nil, nil
	u.idle.Touch()
	if u.shell != nil {
		u.shell.close() // rebuilt, e.g. after a language change
	}
	u.shell = newShell(u)
	u.setContent(u.shell.content())
}

// lockNow forgets the data key and returns to the sign-in form; the idle
// timer calls it after 10 minutes without input.
func (u *UI) lockNow() {
	if u.st == nil || u.st.Session().User == "" {
		return
	}
	u.st.Lock()
	removeViews() // no clear copy of an attachment outlives the session
	u.showSignIn()
}

// onKey sees keys typed while no field has focus: any key is activity,
// and Escape cancels the innermost open form.
func (u *UI) onKey(k *fyne.KeyEvent) {
	u.idle.Touch()
	if k.Name == fyne.KeyEscape && len(u.forms) > 0 {
		u.forms[len(u.forms)-1].cancel()
	}
}

func (u *UI) formOpened(f *recordForm) { u.forms = append(u.forms, f) }

func (u *UI) formClosed(f *recordForm) {
	for i, g := range u.forms {
		if g == f {
			u.forms = append(u.forms[:i], u.forms[i+1:]...)
			return
		}
	}
}

// onCloseRequest asks before closing the window over unsaved changes.
func (u *UI) onCloseRequest() {
	for _, f := range u.forms {
		if f.dirty {
			u.confirm(T("form.discard_title"), T("form.close_text"), T("form.discard"), u.win.Close)
			return
		}
	}
	u.win.Close()
}

func (u *UI) close() {
	u.idle.Stop()
	removeViews()
	if u.shell != nil {
		u.shell.close()
	}
	if u.st != nil {
		u.st.Lock()
		u.st.Close()
	}
}

func (u *UI) setContent(o fyne.CanvasObject) {
	u.win.SetContent(o)
}

// fatalScreen explains why the database could not be opened.
func (u *UI) fatalScreen(err error) fyne.CanvasObject {
	l := &widget.Label{Text: errText(err), Wrapping: fyne.TextWrapWord, Alignment: fyne.TextAlignCenter}
	return container.NewCenter(container.NewVBox(
		&widget.Label{Text: T("app.title"), TextStyle: fyne.TextStyle{Bold: true}, Alignment: fyne.TextAlignCenter},
		l, &widget.Label{Text: u.path, Alignment: fyne.TextAlignCenter}))
}

// showError shows an error as a translated sentence in a dialog.
func (u *UI) showError(err error) {
	u.showMessage(T("app.error_title"), errText(err))
}

// showMessage shows a sentence in a dialog with a translated OK button.
func (u *UI) showMessage(title, text string) {
	l := &widget.Label{Text: text, Wrapping: fyne.TextWrapWord}
	d := dialog.NewCustom(title, T("app.ok"), l, u.win)
	d.Resize(fyne.NewSize(420, 0))
	d.Show()
}

// confirmContent shows a small form with translated buttons.
func (u *UI) confirmContent(title string, content fyne.CanvasObject, yes string, then func()) {
	d := dialog.NewCustomConfirm(title, yes, T("app.cancel"), content, func(ok bool) {
		if ok {
			then()
		}
	}, u.win)
	d.Resize(fyne.NewSize(420, 0))
	d.Show()
}

// confirm asks a yes/no question with translated buttons.
func (u *UI) confirm(title, text, yes string, then func()) {
	l := &widget.Label{Text: text, Wrapping: fyne.TextWrapWord}
	d := dialog.NewCustomConfirm(title, yes, T("app.cancel"), l, func(ok bool) {
		if ok {
			then()
		}
	}, u.win)
	d.Resize(fyne.NewSize(420, 0))
	d.Show()
}
