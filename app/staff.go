package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/assets"
	"rehabdesk/store"
)

var staffColumns = []struct {
	field string
	width float32
}{{"name", 100}, {"role", 90}, {"phone", 120}, {"villages", 220}, {"account", 90}, {"left_date", 110}}

// staffScreen is the staff roster (专干名册): the township's 专干 and 社工
// with their phones, villages and sign-in accounts. The staffing ratio and
// the report's staff figures count it; one step makes a member the 专干 of
// every person of a village.
type staffScreen struct {
	sh     *shell
	ui     *UI
	staff  []*store.Record
	table  *widget.Table
	sel    int
	edit   *widget.Button
	assign *widget.Button
	status *widget.Label
}

func newStaffScreen(sh *shell) *staffScreen {
	s := &staffScreen{sh: sh, ui: sh.ui, sel: -1, status: &widget.Label{Wrapping: fyne.TextWrapWord}}
	s.table = &widget.Table{
		Length:       func() (int, int) { return len(s.staff), len(staffColumns) },
		CreateCell:   func() fyne.CanvasObject { return &widget.Label{Truncation: fyne.TextTruncateEllipsis} },
		UpdateCell:   s.updateCell,
		OnSelected:   func(id widget.TableCellID) { s.selectRow(id.Row) },
		CreateHeader: func() fyne.CanvasObject { return &widget.Label{TextStyle: fyne.TextStyle{Bold: true}} },
		UpdateHeader: func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Col >= 0 {
				o.(*widget.Label).SetText(fieldName(staffColumns[id.Col].field))
			}
		},
	}
	s.table.ShowHeaderRow = true
	s.table.ExtendBaseWidget(s.table)
	for i, c := range staffColumns {
		s.table.SetColumnWidth(i, c.width)
	}
	return s
}

func (s *staffScreen) content() fyne.CanvasObject {
	add := &widget.Button{Text: T("staff.add"), Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: s.onAdd}
	s.edit = &widget.Button{Text: T("events.edit"), Icon: theme.DocumentCreateIcon(), OnTapped: s.onEdit}
	s.assign = &widget.Button{Text: T("staff.assign_village"), Icon: theme.AccountIcon(), OnTapped: s.onAssign}
	s.edit.Disable()
	s.assign.Disable()
	if s.ui.st.Session().Role != "officer" {
		add.Hide()
		s.edit.Hide()
		s.assign.Hide()
	}
	top := container.NewVBox(container.NewHBox(add, s.edit, s.assign), s.status)
	return container.NewBorder(top, nil, nil, nil, s.table)
}

func (s *staffScreen) refresh() {
	roster, err := s.ui.st.Roster(s.ui.ctx)
	if err != nil {
		s.ui.showError(err)
		return
	}
	s.staff = roster
	if s.sel >= len(roster) {
		s.sel = -1
	}
	s.table.Refresh()
	s.status.SetText(T("staff.summary", len(roster)))
}

func (s *staffScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	if id.Row >= len(s.staff) {
		return
	}
	name := staffColumns[id.Col].field
	f, _ := store.SpecOf(store.KindStaff).Field(name)
	o.(*widget.Label).SetText(displayValue(f, s.staff[id.Row].Get(name)))
}

func (s *staffScreen) selectRow(row int) {
	s.ui.idle.Touch()
	s.sel = row
	s.edit.Enable()
	s.assign.Enable()
}

func (s *staffScreen) onAdd() {
	f := newRecordForm(s.ui, store.KindStaff, nil, map[string]string{"active": "1"}) // a new member is on duty
	s.ui.showFormDialog(T("staff.add"), f, func(string) { s.sh.reloadAlerts(); s.refresh() })
}

func (s *staffScreen) onEdit() {
	if s.sel < 0 || s.sel >= len(s.staff) {
		return
	}
	f := newRecordForm(s.ui, store.KindStaff, s.staff[s.sel], nil)
	s.ui.showFormDialog(T("staff.edit"), f, func(string) { s.sh.reloadAlerts(); s.refresh() })
}

// onAssign makes the selected member the 专干 of every person of a village.
func (s *staffScreen) onAssign() {
	if s.sel < 0 || s.sel >= len(s.staff) {
		return
	}
	member := s.staff[s.sel]
	var codes, names []string
	for _, v := range assets.Villages(s.ui.st.Township()) {
		codes, names = append(codes, v.Code), append(names, v.Name)
	}
	pick := widget.NewSelect(names, nil)
	dialog.ShowForm(T("staff.assign_title", member.Get("name")), T("staff.assign_ok"), T("form.cancel"),
		[]*widget.FormItem{widget.NewFormItem(T("field.village"), pick)}, func(ok bool) {
			if !ok || pick.SelectedIndex() < 0 {
				return
			}
			n, err := s.ui.st.AssignVillage(s.ui.ctx, member.ID, codes[pick.SelectedIndex()])
			if err != nil {
				s.ui.showError(err)
				return
			}
			s.sh.reloadAlerts()
			s.refresh()
			s.status.SetText(T("staff.assigned", member.Get("name"), names[pick.SelectedIndex()], n))
		}, s.ui.win)
}
