package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/assets"
	"rehabdesk/store"
	"rehabdesk/store/search"
	"rehabdesk/store/valid"
)

// showDetail lists the selected volunteer's current persons with buttons to
// log a visit or end the assignment, and a button to assign another.
func (v *volunteerScreen) showDetail() {
	v.detail.Objects = nil
	if v.sel < 0 || v.sel >= len(v.vols) {
		v.detail.Add(&widget.Label{Text: T("volunteers.pick"), Importance: widget.LowImportance})
		v.detail.Refresh()
		return
	}
	vol := v.vols[v.sel]
	v.detail.Add(&widget.Label{Text: vol.Get("name") + "　" + enumLabel("volunteer_source", vol.Get("source")), TextStyle: fyne.TextStyle{Bold: true}})
	if v.expired(vol) {
		v.detail.Add(&widget.Label{Text: T("volunteers.insurance_expired"), Importance: widget.DangerImportance})
	}
	as, err := v.assignments(vol.ID)
	if err != nil {
		v.ui.showError(err)
		return
	}
	v.detail.Add(&widget.Label{Text: T("volunteers.assigned", len(as))})
	for _, a := range as {
		v.detail.Add(v.assignmentRow(vol, a))
	}
	if v.ui.st.Session().Role == "officer" {
		v.detail.Add(&widget.Button{Text: T("volunteers.assign"), Icon: theme.ContentAddIcon(), OnTapped: func() { v.onAssign(vol) }})
	}
	v.detail.Refresh()
}

// assignments are the volunteer's assignments that have not ended.
func (v *volunteerScreen) assignments(volID string) ([]*store.Record, error) {
	all, err := v.ui.st.List(v.ui.ctx, store.KindAssignment, store.ListFilter{})
	if err != nil {
		return nil, err
	}
	today := v.ui.st.Today().Format("2006-01-02")
	var out []*store.Record
	for _, a := range all {
		if a.Get("role") == "volunteer" && a.Get("member") == volID && (a.Get("end_date") == "" || a.Get("end_date") >= today) {
			out = append(out, a)
		}
	}
	return out, nil
}

func (v *volunteerScreen) assignmentRow(vol, a *store.Record) fyne.CanvasObject {
	name := a.PersonID
	if e, ok := v.ui.st.SearchEntry(a.PersonID); ok {
		name = e.Name + "　" + valid.MaskID(e.IDNumber)
	}
	visit := &widget.Button{Text: T("volunteers.log_visit"), Icon: theme.DocumentCreateIcon(), Importance: widget.HighImportance,
		OnTapped: func() { v.logVisit(vol, a.PersonID) }}
	end := &widget.Button{Text: T("volunteers.unassign"), Icon: theme.CancelIcon(), OnTapped: func() { v.unassign(a) }}
	if v.ui.st.Session().Role != "officer" {
		end.Hide()
	}
	return container.NewBorder(nil, nil, nil, container.NewHBox(visit, end), &widget.Label{Text: name, Truncation: fyne.TextTruncateEllipsis})
}

// logVisit opens a visit form already filled for today, at home, by this
// volunteer: usually only the notes remain to type.
func (v *volunteerScreen) logVisit(vol *store.Record, person string) {
	f := newRecordForm(v.ui, store.KindVisit, nil, map[string]string{"person": person})
	f.preset(map[string]string{"date": v.ui.st.Today().Format("2006-01-02"), "visitor_kind": "volunteer",
		"visitor": vol.Get("name"), "mode": "home"})
	v.ui.showFormDialog(T("volunteers.log_visit"), f, func(string) {
		v.sh.personAlerts(person)
		v.ui.showMessage(T("volunteers.log_visit"), T("volunteers.visit_saved"))
	})
}

// unassign ends an assignment today; the record and its history stay.
func (v *volunteerScreen) unassign(a *store.Record) {
	v.ui.confirm(T("volunteers.unassign"), T("volunteers.unassign_text"), T("volunteers.unassign"), func() {
		_, err := v.ui.st.Put(v.ui.ctx, store.KindAssignment, a.ID, map[string]string{"end_date": v.ui.st.Today().Format("2006-01-02")})
		if err != nil {
			v.ui.showError(err)
		} else {
			v.ui.auditRecord("edit", store.KindAssignment, a.ID)
		}
		v.sh.personAlerts(a.PersonID)
		v.showDetail()
	})
}

// onAssign picks a person by search and assigns them to the volunteer.
func (v *volunteerScreen) onAssign(vol *store.Record) {
	var found []search.Entry
	var d dialog.Dialog
	list := &widget.List{
		Length:     func() int { return len(found) },
		CreateItem: func() fyne.CanvasObject { return &widget.Label{} },
		UpdateItem: func(i widget.ListItemID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(found[i].Name + "　" + valid.MaskID(found[i].IDNumber) + "　" + assets.Name(found[i].Village))
		},
	}
	list.ExtendBaseWidget(list)
	entry := &widget.Entry{PlaceHolder: T("people.search_hint")}
	entry.OnChanged = func(s string) {
		found = v.ui.st.Search(search.Query{Text: s, Limit: 100}).Entries
		list.Refresh()
	}
	list.OnSelected = func(i widget.ListItemID) {
		list.UnselectAll()
		p := found[i]
		v.ui.confirm(T("volunteers.assign"), T("volunteers.assign_confirm", p.Name+"　"+valid.MaskID(p.IDNumber), vol.Get("name")),
			T("volunteers.assign"), func() {
				d.Hide()
				v.assign(vol, p.ID)
			})
	}
	entry.OnChanged("")
	d = dialog.NewCustom(T("volunteers.assign"), T("app.cancel"), container.NewBorder(entry, nil, nil, nil, list), v.ui.win)
	d.Resize(fyne.NewSize(560, 480))
	d.Show()
	v.ui.win.Canvas().Focus(entry)
}

func (v *volunteerScreen) assign(vol *store.Record, person string) {
	id, err := v.ui.st.Put(v.ui.ctx, store.KindAssignment, "", map[string]string{"person": person, "role": "volunteer",
		"member": vol.ID, "start_date": v.ui.st.Today().Format("2006-01-02")})
	if err != nil {
		v.ui.showError(err)
	} else {
		v.ui.auditRecord("add", store.KindAssignment, id)
	}
	v.sh.personAlerts(person)
	v.showDetail()
}
