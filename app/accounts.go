package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/store"
)

// accountsView lets an officer give a volunteer (or another officer) a
// sign-in on this computer, reset a forgotten password and disable an
// account. Volunteers then see only the persons assigned to them.
type accountsView struct {
	ui        *UI
	list      *widget.List
	accounts  []store.Account
	vols      map[string]string // volunteer id -> name
	user      *widget.Entry
	password  *widget.Entry
	password2 *widget.Entry
	role      *choiceInput
	volunteer *choiceInput
}

func newAccountsView(u *UI) *accountsView {
	a := &accountsView{ui: u, user: &widget.Entry{}, password: &widget.Entry{Password: true}, password2: &widget.Entry{Password: true}}
	a.role = newChoiceInput([]string{"volunteer", "officer"}, []string{enumLabel("account_role", "volunteer"), enumLabel("account_role", "officer")}, true)
	a.role.set("volunteer")
	a.list = &widget.List{Length: func() int { return len(a.accounts) }, CreateItem: newAccountRow, UpdateItem: a.updateItem}
	a.list.ExtendBaseWidget(a.list)
	return a
}

func newAccountRow() fyne.CanvasObject {
	return container.NewBorder(nil, nil, nil, container.NewHBox(&widget.Button{}, &widget.Button{}), &widget.Label{Truncation: fyne.TextTruncateEllipsis})
}

func (a *accountsView) content() fyne.CanvasObject {
	a.refresh()
	form := &widget.Form{Items: []*widget.FormItem{
		{Text: T("firstrun.user"), Widget: a.user},
		{Text: T("accounts.role"), Widget: a.role.s},
		{Text: T("kind.volunteer"), Widget: a.volunteer.s},
		{Text: T("firstrun.password"), Widget: a.password},
		{Text: T("firstrun.password2"), Widget: a.password2},
	}}
	add := &widget.Button{Text: T("accounts.add"), Importance: widget.HighImportance, OnTapped: a.onAdd}
	help := &widget.Label{Text: T("accounts.help"), Wrapping: fyne.TextWrapWord}
	left := container.NewVBox(help, form, container.NewHBox(add))
	split := container.NewHSplit(container.NewVScroll(left), a.list)
	split.Offset = 0.5
	return split
}

// refresh reads the accounts and the volunteers to link them to.
func (a *accountsView) refresh() {
	accts, err := a.ui.st.Accounts(a.ui.ctx)
	if err != nil {
		a.ui.showError(err)
		return
	}
	a.accounts = accts
	vols, _ := a.ui.st.List(a.ui.ctx, store.KindVolunteer, store.ListFilter{})
	a.vols = map[string]string{}
	var ids, names []string
	for _, v := range vols {
		a.vols[v.ID] = v.Get("name")
		ids, names = append(ids, v.ID), append(names, v.Get("name"))
	}
	if a.volunteer == nil {
		a.volunteer = newChoiceInput(ids, names, false)
	} else {
		a.volunteer.codes, a.volunteer.labels = append([]string{""}, ids...), append([]string{T("form.none")}, names...)
		a.volunteer.s.Options = a.volunteer.labels
		a.volunteer.s.Refresh()
	}
	a.list.Refresh()
}

func (a *accountsView) updateItem(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(a.accounts) {
		return
	}
	acc := a.accounts[i]
	row := o.(*fyne.Container)
	text := acc.User + "　" + enumLabel("account_role", acc.Role)
	if n := a.vols[acc.Volunteer]; n != "" {
		text += "（" + n + "）"
	}
	if acc.Disabled {
		text += "　" + T("accounts.disabled")
	} else if !acc.KeySlot {
		text += "　" + T("accounts.no_slot")
	}
	row.Objects[0].(*widget.Label).SetText(text)
	bs := row.Objects[1].(*fyne.Container).Objects
	reset, disable := bs[0].(*widget.Button), bs[1].(*widget.Button)
	reset.Text, reset.OnTapped = T("accounts.reset"), func() { a.onReset(acc.User) }
	disable.Text, disable.OnTapped = T("accounts.disable"), func() { a.onDisable(acc.User) }
	for _, b := range []*widget.Button{reset, disable} {
		if acc.Disabled || acc.User == a.ui.st.Session().User {
			b.Hide()
		} else {
			b.Show()
		}
		b.Refresh()
	}
}

func (a *accountsView) onAdd() {
	if a.password.Text != a.password2.Text {
		a.ui.showMessage(T("accounts.add"), T("firstrun.mismatch"))
		return
	}
	role, vol := a.role.value(), a.volunteer.value()
	if role == "volunteer" && vol == "" {
		a.ui.showMessage(T("accounts.add"), T("accounts.need_volunteer"))
		return
	}
	if role != "volunteer" {
		vol = ""
	}
	if err := a.ui.st.AddAccount(a.ui.ctx, a.user.Text, a.password.Text, role, vol, a.ui.opt.Store.KDF); err != nil {
		a.ui.showError(err)
		return
	}
	for _, e := range []*widget.Entry{a.user, a.password, a.password2} {
		e.SetText("")
	}
	a.refresh()
	a.ui.showMessage(T("accounts.add"), T("accounts.added"))
}

// onReset sets a new password for a user who forgot theirs.
func (a *accountsView) onReset(user string) {
	pw := &widget.Entry{Password: true}
	form := &widget.Form{Items: []*widget.FormItem{{Text: T("settings.new_password"), Widget: pw}}}
	a.ui.confirmContent(T("accounts.reset"), form, T("form.save"), func() {
		if err := a.ui.st.SetPassword(a.ui.ctx, user, pw.Text); err != nil {
			a.ui.showError(err)
			return
		}
		a.refresh()
	})
}

func (a *accountsView) onDisable(user string) {
	a.ui.confirm(T("accounts.disable"), T("accounts.disable_text", user), T("accounts.disable"), func() {
		if err := a.ui.st.DisableAccount(a.ui.ctx, user); err != nil {
			a.ui.showError(err)
		}
		a.refresh()
	})
}
