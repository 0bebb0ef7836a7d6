package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/store"
	"rehabdesk/store/rules"
)

// proposeBaseline asks for the adoption baseline (开始使用日期) when none is
// set yet, as after the first import: today is proposed. Periodic duties
// fall due from it; without it, a ledger of years shows years of overdue
// tests and visits that are only unknown.
func proposeBaseline(u *UI) {
	if u.st.Session().Role != "officer" {
		return
	}
	if d, err := rules.Baseline(u.ctx, u.st); err != nil || d != 0 {
		return
	}
	entry := widget.NewEntry()
	entry.SetText(rules.Today(u.st).String())
	text := &widget.Label{Text: T("baseline.propose"), Wrapping: fyne.TextWrapWord}
	items := []*widget.FormItem{widget.NewFormItem("", text), widget.NewFormItem(T("baseline.field"), entry)}
	d := dialog.NewForm(T("baseline.title"), T("form.save"), T("form.cancel"), items, func(ok bool) {
		if ok {
			saveBaseline(u, entry.Text)
		}
	}, u.win)
	d.Resize(d.MinSize().AddWidthHeight(240, 0))
	d.Show()
}

// saveBaseline stores the baseline and recomputes every alert.
func saveBaseline(u *UI, date string) {
	if err := rules.SetBaseline(u.ctx, u.st, date); err != nil {
		u.showError(err)
		return
	}
	u.auditRecord("edit", store.KindSetting, "")
	if u.shell != nil {
		u.shell.reloadAlerts()
		u.shell.home.refresh()
	}
	u.showMessage(T("baseline.title"), T("baseline.saved", rules.ParseDay(date).String()))
}
