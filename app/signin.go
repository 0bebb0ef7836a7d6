package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/assets"
)

const prefLastUser = "last_user"

// signIn is the sign-in form shown at start and after the idle lock.
type signIn struct {
	ui       *UI
	user     *widget.Entry
	password *widget.Entry
	submit   *widget.Button
	status   *widget.Label
}

func newSignIn(u *UI) *signIn {
	s := &signIn{ui: u}
	s.user = &widget.Entry{PlaceHolder: T("signin.user"), Text: u.app.Preferences().String(prefLastUser)}
	s.password = &widget.Entry{PlaceHolder: T("signin.password"), Password: true, OnSubmitted: func(string) { s.onSubmit() }}
	s.user.OnSubmitted = func(string) { u.win.Canvas().Focus(s.password) }
	s.submit = &widget.Button{Text: T("signin.submit"), Importance: widget.HighImportance, OnTapped: s.onSubmit}
	s.status = &widget.Label{Alignment: fyne.TextAlignCenter}
	return s
}

func (s *signIn) content() fyne.CanvasObject {
	town := s.ui.st.Township()
	if d, ok := assets.Township(town); ok {
		town = d.Name
	}
	form := &widget.Form{Items: []*widget.FormItem{
		{Text: T("signin.user"), Widget: s.user},
		{Text: T("signin.password"), Widget: s.password},
	}}
	title := &widget.Label{Text: T("app.title"), TextStyle: fyne.TextStyle{Bold: true}, Alignment: fyne.TextAlignCenter, SizeName: theme.SizeNameHeadingText}
	box := container.NewVBox(title, &widget.Label{Text: town, Alignment: fyne.TextAlignCenter}, form, s.submit, s.status)
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(420, box.MinSize().Height), box))
}

// focus puts the cursor where the officer types next; call it once the
// form is on the canvas.
func (s *signIn) focus() {
	if c := s.ui.win.Canvas(); c != nil {
		if s.user.Text == "" {
			c.Focus(s.user)
		} else {
			c.Focus(s.password)
		}
	}
}

// onSubmit unlocks off the UI thread: the password hash takes a moment
// on purpose, and the window must keep drawing meanwhile.
func (s *signIn) onSubmit() {
	user, pw := s.user.Text, s.password.Text
	if user == "" || pw == "" {
		s.ui.showMessage(T("signin.title"), T("signin.missing"))
		return
	}
	s.submit.Disable()
	s.status.SetText(T("signin.busy"))
	st := s.ui.st
	s.ui.opt.Background(func() {
		err := st.Unlock(s.ui.ctx, user, pw)
		fyne.Do(func() { s.done(user, err) })
	})
}

func (s *signIn) done(user string, err error) {
	s.submit.Enable()
	s.status.SetText("")
	if err != nil {
		s.password.SetText("")
		s.ui.showError(err)
		return
	}
	s.ui.app.Preferences().SetString(prefLastUser, user)
	s.ui.signedIn(s.ui.st)
}
