package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/store"
)

var volunteerColumns = []struct {
	field string
	width float32
}{{"name", 100}, {"source", 90}, {"phone", 120}, {"village", 110}, {"trained_date", 125}, {"insurance_expiry", 125}}

// volunteerScreen is the roster of volunteers with, for the selected one,
// the persons assigned and a one-tap visit log.
type volunteerScreen struct {
	sh     *shell
	ui     *UI
	vols   []*store.Record
	table  *widget.Table
	sel    int
	detail *fyne.Container
	edit   *widget.Button
}

func newVolunteers(sh *shell) *volunteerScreen {
	v := &volunteerScreen{sh: sh, ui: sh.ui, sel: -1, detail: container.NewVBox()}
	v.table = &widget.Table{
		Length:       func() (int, int) { return len(v.vols), len(volunteerColumns) },
		CreateCell:   func() fyne.CanvasObject { return &widget.Label{Truncation: fyne.TextTruncateEllipsis} },
		UpdateCell:   v.updateCell,
		OnSelected:   func(id widget.TableCellID) { v.selectRow(id.Row) },
		CreateHeader: func() fyne.CanvasObject { return &widget.Label{TextStyle: fyne.TextStyle{Bold: true}} },
		UpdateHeader: func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Col >= 0 {
				o.(*widget.Label).SetText(fieldName(volunteerColumns[id.Col].field))
			}
		},
	}
	v.table.ShowHeaderRow = true
	v.table.ExtendBaseWidget(v.table)
	for i, c := range volunteerColumns {
		v.table.SetColumnWidth(i, c.width)
	}
	return v
}

func (v *volunteerScreen) content() fyne.CanvasObject {
	add := &widget.Button{Text: T("volunteers.add"), Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: v.onAdd}
	v.edit = &widget.Button{Text: T("events.edit"), Icon: theme.DocumentCreateIcon(), OnTapped: v.onEdit}
	v.edit.Disable()
	if v.ui.st.Session().Role != "officer" {
		add.Hide()
		v.edit.Hide()
	}
	left := container.NewBorder(container.NewHBox(add, v.edit), nil, nil, nil, v.table)
	split := container.NewHSplit(left, container.NewVScroll(v.detail))
	split.Offset = 0.62
	return split
}

func (v *volunteerScreen) refresh() {
	vols, err := v.ui.st.List(v.ui.ctx, store.KindVolunteer, store.ListFilter{})
	if err != nil {
		v.ui.showError(err)
		return
	}
	v.vols = vols
	v.table.Refresh()
	if v.sel >= len(vols) {
		v.sel = -1
	}
	v.showDetail()
}

func (v *volunteerScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	if id.Row >= len(v.vols) {
		return
	}
	name := volunteerColumns[id.Col].field
	f, _ := store.SpecOf(store.KindVolunteer).Field(name)
	text := displayValue(f, v.vols[id.Row].Get(name))
	l := o.(*widget.Label)
	l.Importance = widget.MediumImportance
	if name == "insurance_expiry" && v.expired(v.vols[id.Row]) {
		l.Importance = widget.DangerImportance // uninsured volunteers must not visit
	}
	l.SetText(text)
}

func (v *volunteerScreen) expired(r *store.Record) bool {
	d := r.Get("insurance_expiry")
	return d != "" && d < v.ui.st.Today().Format("2006-01-02")
}

func (v *volunteerScreen) selectRow(row int) {
	v.ui.idle.Touch()
	v.sel = row
	v.edit.Enable()
	v.showDetail()
}

func (v *volunteerScreen) onAdd() {
	f := newRecordForm(v.ui, store.KindVolunteer, nil, nil)
	v.ui.showFormDialog(T("volunteers.add"), f, func(string) { v.sh.reloadAlerts(); v.refresh() })
}

func (v *volunteerScreen) onEdit() {
	if v.sel < 0 || v.sel >= len(v.vols) {
		return
	}
	f := newRecordForm(v.ui, store.KindVolunteer, v.vols[v.sel], nil)
	v.ui.showFormDialog(T("volunteers.edit"), f, func(string) { v.sh.reloadAlerts(); v.refresh() })
}
