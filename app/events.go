package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/store"
)

// eventTab lists one kind of a person's records (tests, visits...) in a
// table whose columns come from the kind's Spec, with add, edit and
// archive. Records are read once per refresh, never per row.
type eventTab struct {
	ui     *UI
	kind   store.Kind
	person string
	cols   []store.Field
	recs   []*store.Record
	names  map[string]string // linked record id -> name, loaded per refresh
	table  *widget.Table
	empty  *widget.Label
	sel    int
	add    *widget.Button
	edit   *widget.Button
	remove *widget.Button

	onChange func() // after a record was added, edited or archived
}

// maxEventColumns keeps the table readable at 1366 pixels.
const maxEventColumns = 6

func newEventTab(u *UI, kind store.Kind, person string) *eventTab {
	t := &eventTab{ui: u, kind: kind, person: person, sel: -1, cols: summaryFields(kind)}
	t.empty = &widget.Label{Text: T("events.empty"), Alignment: fyne.TextAlignCenter, Importance: widget.LowImportance}
	t.table = &widget.Table{
		Length:       func() (int, int) { return len(t.recs), len(t.cols) },
		CreateCell:   func() fyne.CanvasObject { return &widget.Label{Truncation: fyne.TextTruncateEllipsis} },
		UpdateCell:   t.updateCell,
		OnSelected:   t.onSelected,
		OnUnselected: func(widget.TableCellID) { t.select_(-1) },
		CreateHeader: func() fyne.CanvasObject { return &widget.Label{TextStyle: fyne.TextStyle{Bold: true}} },
		UpdateHeader: t.updateHeader,
	}
	t.table.ShowHeaderRow = true
	t.table.ExtendBaseWidget(t.table)
	for i := range t.cols {
		t.table.SetColumnWidth(i, 150)
	}
	return t
}

// summaryFields picks the columns of a kind's table: its short fields,
// leaving out the person link and long notes.
func summaryFields(kind store.Kind) []store.Field {
	var out []store.Field
	for _, f := range store.SpecOf(kind).Fields {
		if f.Name == "person" || f.Type == store.TypeLongText {
			continue
		}
		if len(out) < maxEventColumns {
			out = append(out, f)
		}
	}
	return out
}

func (t *eventTab) content() fyne.CanvasObject {
	t.add = &widget.Button{Text: T("events.add"), Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: t.onAdd}
	t.edit = &widget.Button{Text: T("events.edit"), Icon: theme.DocumentCreateIcon(), OnTapped: t.onEdit}
	t.remove = &widget.Button{Text: T("events.archive"), Icon: theme.DeleteIcon(), OnTapped: t.onArchive}
	if t.ui.st.Session().Role == "volunteer" {
		t.remove.Hide()
	}
	t.select_(-1)
	bar := container.NewHBox(t.add, t.edit, t.remove)
	t.refresh()
	return container.NewBorder(bar, nil, nil, nil, container.NewStack(t.table, belowHeader(t.table, t.empty)))
}

// belowHeader places an empty-list hint under a table's header row, as wide
// as the table: centred over it, a hint covered the column names when the
// tab was short, and a wrapping hint shrank to one character a line.
func belowHeader(table *widget.Table, o fyne.CanvasObject) fyne.CanvasObject {
	h := table.CreateHeader().MinSize().Height + 2*theme.Padding()
	gap := canvas.NewRectangle(color.Transparent)
	gap.SetMinSize(fyne.NewSize(0, h))
	return container.NewBorder(gap, nil, nil, nil, container.NewVBox(o))
}

func (t *eventTab) refresh() {
	recs, err := t.ui.st.List(t.ui.ctx, t.kind, store.ListFilter{PersonID: t.person})
	if err != nil {
		t.ui.showError(err)
		return
	}
	// Newest first: officers look at the latest test or visit.
	for i, j := 0, len(recs)-1; i < j; i, j = i+1, j-1 {
		recs[i], recs[j] = recs[j], recs[i]
	}
	t.recs = recs
	t.names = t.linkedNames()
	if len(recs) > 0 {
		t.empty.Hide()
	} else {
		t.empty.Show()
	}
	t.table.UnselectAll()
	t.select_(-1)
	t.table.Refresh()
}

func (t *eventTab) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	if id.Row >= len(t.recs) || id.Col >= len(t.cols) {
		return
	}
	f := t.cols[id.Col]
	v := t.recs[id.Row].Get(f.Name)
	if f.Type == store.TypeRef || (t.kind == store.KindAssignment && f.Name == "member") {
		v = t.refName(v)
	}
	o.(*widget.Label).SetText(displayValue(f, v))
}

// refName shows a linked record by name; the lookup is in memory of the
// already loaded volunteers and staff.
func (t *eventTab) refName(id string) string {
	if id == "" {
		return ""
	}
	if n, ok := t.names[id]; ok {
		return n
	}
	return id[:min(8, len(id))]
}

// linkedNames loads the names of the records this kind's columns link to.
func (t *eventTab) linkedNames() map[string]string {
	names := map[string]string{}
	need := false
	for _, f := range t.cols {
		need = need || f.Type == store.TypeRef || f.Name == "member"
	}
	if !need {
		return names
	}
	for _, k := range []store.Kind{store.KindVolunteer, store.KindStaff, store.KindGrid, store.KindMeasure} {
		filter := store.ListFilter{}
		if store.SpecOf(k).PersonScoped {
			filter.PersonID = t.person
		}
		recs, err := t.ui.st.List(t.ui.ctx, k, filter)
		if err != nil {
			continue
		}
		for _, r := range recs {
			names[r.ID] = recordTitle(r)
		}
	}
	return names
}

func (t *eventTab) updateHeader(id widget.TableCellID, o fyne.CanvasObject) {
	if id.Col >= 0 && id.Col < len(t.cols) {
		o.(*widget.Label).SetText(fieldName(t.cols[id.Col].Name))
	}
}

func (t *eventTab) onSelected(id widget.TableCellID) { t.select_(id.Row) }

// select_ enables the buttons that need a selected record.
func (t *eventTab) select_(row int) {
	t.sel = row
	if t.edit == nil {
		return
	}
	if row < 0 {
		t.edit.Disable()
		t.remove.Disable()
		return
	}
	t.edit.Enable()
	t.remove.Enable()
}

func (t *eventTab) onAdd() {
	f := newRecordForm(t.ui, t.kind, nil, map[string]string{"person": t.person})
	f.preset(t.ui.entryDefaults(t.kind, t.person))
	t.ui.showFormDialog(T("events.add_title", T("kind."+string(t.kind))), f, func(string) {
		t.ui.rememberCollector(f)
		t.changed()
	})
}

func (t *eventTab) onEdit() {
	if t.sel < 0 || t.sel >= len(t.recs) {
		return
	}
	f := newRecordForm(t.ui, t.kind, t.recs[t.sel], map[string]string{"person": t.person})
	t.ui.showFormDialog(T("events.edit_title", T("kind."+string(t.kind))), f, func(string) { t.changed() })
}

// onArchive soft-deletes the selected record after asking; the store
// keeps it and its history.
func (t *eventTab) onArchive() {
	if t.sel < 0 || t.sel >= len(t.recs) {
		return
	}
	id := t.recs[t.sel].ID
	t.ui.confirm(T("events.archive_title"), T("events.archive_text"), T("events.archive"), func() {
		if err := t.ui.st.Archive(t.ui.ctx, id); err != nil {
			t.ui.showError(err)
		} else {
			t.ui.auditRecord("archive", t.kind, id)
		}
		t.changed()
	})
}

func (t *eventTab) changed() {
	t.refresh()
	if t.onChange != nil {
		t.onChange()
	}
}
