package app

import (
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/assets"
	"rehabdesk/store"
	"rehabdesk/sync/client"
)

// firstRun is the wizard shown when there is no database yet: choose the
// township from the shipped division list, create the first officer
// account — or start from an encrypted backup (restore.go). Enrolling with
// the county server comes later, in Settings.
type firstRun struct {
	ui        *UI
	county    *widget.Select
	township  *widget.Select
	user      *widget.Entry
	password  *widget.Entry
	password2 *widget.Entry
	submit    *widget.Button
	status    *widget.Label

	restoreButton *widget.Button // start from an encrypted backup instead

	// Optional: enrol with the county server right away (also in Settings).
	server, code, pin *widget.Entry

	counties  []assets.Division
	townships []assets.Division
}

func newFirstRun(u *UI) *firstRun {
	f := &firstRun{ui: u, counties: assets.Counties()}
	f.county = &widget.Select{Options: divisionNames(f.counties), PlaceHolder: T("firstrun.pick_county"), OnChanged: f.onCounty}
	f.township = &widget.Select{PlaceHolder: T("firstrun.pick_township")}
	f.township.Disable()
	f.user = &widget.Entry{PlaceHolder: T("firstrun.user_hint")}
	f.password = &widget.Entry{Password: true, PlaceHolder: T("firstrun.password_hint")}
	f.password2 = &widget.Entry{Password: true, OnSubmitted: func(string) { f.onSubmit() }}
	f.submit = &widget.Button{Text: T("firstrun.submit"), Importance: widget.HighImportance, OnTapped: f.onSubmit}
	f.status = &widget.Label{Alignment: fyne.TextAlignCenter}
	f.server = &widget.Entry{PlaceHolder: "https://192.168.1.10:8443"}
	f.code = &widget.Entry{}
	f.pin = &widget.Entry{PlaceHolder: T("settings.pin_hint")}
	f.restoreButton = &widget.Button{Text: T("firstrun.restore"), Icon: theme.UploadIcon(), OnTapped: f.onRestore}
	return f
}

func divisionNames(ds []assets.Division) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Name
	}
	return out
}

func (f *firstRun) content() fyne.CanvasObject {
	form := &widget.Form{Items: []*widget.FormItem{
		{Text: T("firstrun.county"), Widget: f.county},
		{Text: T("firstrun.township"), Widget: f.township},
		{Text: T("firstrun.user"), Widget: f.user},
		{Text: T("firstrun.password"), Widget: f.password},
		{Text: T("firstrun.password2"), Widget: f.password2},
	}}
	intro := &widget.Label{Text: T("firstrun.intro"), Wrapping: fyne.TextWrapWord}
	title := &widget.Label{Text: T("firstrun.title"), TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameHeadingText}
	enroll := widget.NewAccordion(widget.NewAccordionItem(T("firstrun.enroll_optional"), &widget.Form{Items: []*widget.FormItem{
		{Text: T("settings.server_url"), Widget: f.server},
		{Text: T("settings.code"), Widget: f.code},
		{Text: T("settings.pin"), Widget: f.pin},
	}}))
	box := container.NewVBox(title, intro, form, enroll, f.submit, f.restoreButton, f.status)
	return container.NewCenter(container.New(fixedWidth(520), box))
}

// fixedWidth lays its objects out at a fixed width and the height they
// need, so the wizard grows when the enrolment section opens.
type fixedWidth float32

func (w fixedWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(float32(w), h)
}

func (w fixedWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// onCounty fills the township picker with the chosen county's townships.
func (f *firstRun) onCounty(string) {
	i := f.county.SelectedIndex()
	if i < 0 {
		return
	}
	f.ui.idle.Touch()
	f.townships = assets.Townships(f.counties[i].Code)
	f.township.Options = divisionNames(f.townships)
	f.township.ClearSelected()
	f.township.Enable()
	f.township.Refresh()
}

// onSubmit checks the form and creates the database off the UI thread.
func (f *firstRun) onSubmit() {
	i := f.township.SelectedIndex()
	switch {
	case i < 0:
		f.ui.showMessage(T("firstrun.title"), T("firstrun.need_township"))
		return
	case f.user.Text == "":
		f.ui.showMessage(T("firstrun.title"), T("firstrun.need_user"))
		return
	case f.password.Text != f.password2.Text:
		f.ui.showMessage(T("firstrun.title"), T("firstrun.mismatch"))
		return
	}
	code, user, pw := f.townships[i].Code, f.user.Text, f.password.Text
	server, enrollCode, pin := f.server.Text, f.code.Text, f.pin.Text
	f.submit.Disable()
	f.status.SetText(T("firstrun.busy"))
	f.ui.opt.Background(func() {
		st, err := f.create(code, user, pw)
		var enrollErr error
		if err == nil && server != "" && enrollCode != "" {
			_, enrollErr = client.Enroll(f.ui.ctx, st, server, enrollCode, pin, client.Options{Retries: 1})
		}
		fyne.Do(func() {
			f.done(user, st, err)
			if err == nil && enrollErr != nil {
				// The database is made either way; enrolment can be retried in Settings.
				f.ui.showMessage(T("firstrun.enroll_failed_title"), T("firstrun.enroll_failed", errText(enrollErr)))
			}
		})
	})
}

func (f *firstRun) create(township, user, pw string) (*store.Store, error) {
	if err := os.MkdirAll(filepath.Dir(f.ui.path), 0o700); err != nil {
		return nil, err
	}
	return store.Create(f.ui.ctx, f.ui.path, township, user, pw, f.ui.opt.Store)
}

func (f *firstRun) done(user string, st *store.Store, err error) {
	f.submit.Enable()
	f.status.SetText("")
	if err != nil {
		f.ui.showError(err)
		return
	}
	f.ui.app.Preferences().SetString(prefLastUser, user)
	f.ui.signedIn(st)
}
