package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// dutyDialog is the small form of one workflow action of the person's file
// (sign the agreement, record a leave...): labelled inputs, and a confirm
// button that runs the action through the store. A refusal is shown inside
// the dialog, translated, and what was typed stays for the officer to fix.
type dutyDialog struct {
	u       *UI
	d       dialog.Dialog
	entries map[string]*widget.Entry
	selects map[string]*widget.Select
	form    *widget.Form
	errL    *widget.Label
	ok      *widget.Button
	run     func() error
	done    func()
}

func newDutyDialog(u *UI) *dutyDialog {
	dd := &dutyDialog{u: u, entries: map[string]*widget.Entry{}, selects: map[string]*widget.Select{}, form: &widget.Form{},
		errL: &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}}
	dd.errL.Hide()
	return dd
}

// entry adds a one-line input with a starting value.
func (dd *dutyDialog) entry(name, label, value string) *widget.Entry {
	e := &widget.Entry{Text: value}
	e.ExtendBaseWidget(e)
	dd.entries[name] = e
	dd.form.Append(label, e)
	return e
}

// choice adds a drop-down of options; sel picks one at start (-1: none).
func (dd *dutyDialog) choice(name, label string, options []string, sel int) *widget.Select {
	s := widget.NewSelect(options, nil)
	if sel >= 0 && sel < len(options) {
		s.SetSelectedIndex(sel)
	}
	dd.selects[name] = s
	dd.form.Append(label, s)
	return s
}

// value is what was typed into an entry.
func (dd *dutyDialog) value(name string) string { return dd.entries[name].Text }

// show opens the dialog; run is the action, done what follows its success.
func (dd *dutyDialog) show(title, okText string, note string, run func() error, done func()) {
	dd.run, dd.done = run, done
	dd.ok = &widget.Button{Text: okText, Icon: theme.ConfirmIcon(), Importance: widget.HighImportance, OnTapped: dd.confirm}
	cancel := &widget.Button{Text: T("app.cancel"), Icon: theme.CancelIcon(), OnTapped: func() { dd.d.Hide() }}
	top := container.NewVBox()
	if note != "" {
		top.Add(&widget.Label{Text: note, Wrapping: fyne.TextWrapWord})
	}
	body := container.NewBorder(top, container.NewVBox(dd.errL, container.NewHBox(layout.NewSpacer(), cancel, dd.ok)), nil, nil, dd.form)
	dd.d = dialog.NewCustomWithoutButtons(title, body, dd.u.win)
	dd.d.Resize(fyne.NewSize(520, 0))
	dd.d.Show()
}

// confirm runs the action; the dialog closes only when it succeeded.
func (dd *dutyDialog) confirm() {
	dd.u.idle.Touch()
	if err := dd.run(); err != nil {
		dd.errL.SetText(errText(err))
		dd.errL.Show()
		return
	}
	dd.d.Hide()
	if dd.done != nil {
		dd.done()
	}
}
