package app

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/assets"
	"rehabdesk/sync/client"
)

// enrollForm binds this database to the county server with the one-time
// code the county office gives out.
type enrollForm struct {
	sh     *shell
	ui     *UI
	server *widget.Entry
	code   *widget.Entry
	pin    *widget.Entry
	submit *widget.Button
	status *widget.Label
}

func newEnrollForm(sh *shell) *enrollForm {
	e := &enrollForm{sh: sh, ui: sh.ui,
		server: &widget.Entry{PlaceHolder: "https://192.168.1.10:8443"},
		code:   &widget.Entry{},
		pin:    &widget.Entry{PlaceHolder: T("settings.pin_hint")},
		status: &widget.Label{Wrapping: fyne.TextWrapWord},
	}
	e.submit = &widget.Button{Text: T("settings.enroll"), Importance: widget.HighImportance, OnTapped: e.onEnroll}
	if in, err := client.Status(sh.ui.ctx, sh.ui.st); err == nil && in.Enrolled {
		e.server.SetText(in.Server)
		e.status.SetText(T("settings.enrolled_already", in.Server))
	}
	return e
}

func (e *enrollForm) content() fyne.CanvasObject {
	form := &widget.Form{Items: []*widget.FormItem{
		{Text: T("settings.server_url"), Widget: e.server},
		{Text: T("settings.code"), Widget: e.code},
		{Text: T("settings.pin"), Widget: e.pin},
	}}
	help := &widget.Label{Text: T("settings.enroll_help"), Wrapping: fyne.TextWrapWord}
	return container.NewVScroll(container.NewVBox(help, form, container.NewHBox(e.submit), e.status))
}

// onEnroll contacts the server off the UI thread.
func (e *enrollForm) onEnroll() {
	server, code, pin := e.server.Text, e.code.Text, e.pin.Text
	if server == "" || code == "" {
		e.ui.showMessage(T("settings.enroll"), T("settings.enroll_missing"))
		return
	}
	e.submit.Disable()
	e.status.SetText(T("settings.enrolling"))
	e.ui.opt.Background(func() {
		en, err := client.Enroll(e.ui.ctx, e.ui.st, server, code, pin, client.Options{Retries: 1})
		fyne.Do(func() { e.done(en, err) })
	})
}

func (e *enrollForm) done(en *client.Enrollment, err error) {
	e.submit.Enable()
	var unconfirmed *client.UnconfirmedPinError
	if errors.As(err, &unconfirmed) {
		e.status.SetText("")
		e.confirmPin(unconfirmed.Fingerprint)
		return
	}
	if err != nil {
		e.status.SetText("")
		e.ui.showError(err)
		return
	}
	text := T("sync.enrolled", en.Server, assets.Name(en.Township))
	if en.Fingerprint != "" {
		text += "\n" + T("sync.fingerprint", en.Fingerprint)
	}
	e.status.SetText(text)
	e.code.SetText("")
	e.sh.sync.refresh()
}

// confirmPin shows the fingerprint the server presented and enrolls with
// it only once the officer says it matches the one the county office gave.
func (e *enrollForm) confirmPin(fp string) {
	e.ui.confirm(T("settings.confirm_pin_title"), T("settings.confirm_pin", fp), T("settings.confirm_pin_yes"), func() {
		e.pin.SetText(fp)
		e.onEnroll()
	})
}
