package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/assets"
	"rehabdesk/store"
)

// conflictInbox lists values that two devices set differently while
// offline: both values side by side with who and when, to keep one.
type conflictInbox struct {
	ui    *UI
	items []store.Conflict
	list  *widget.List
	empty *widget.Label
}

func newConflictInbox(u *UI) *conflictInbox {
	c := &conflictInbox{ui: u, empty: &widget.Label{Text: T("sync.conflicts.none"), Importance: widget.LowImportance}}
	c.list = &widget.List{Length: func() int { return len(c.items) }, CreateItem: newChoiceRow, UpdateItem: c.updateItem}
	c.list.ExtendBaseWidget(c.list)
	return c
}

// newChoiceRow is three lines of text with two buttons to choose a side;
// the conflict inbox and the duplicate list share it.
func newChoiceRow() fyne.CanvasObject {
	lines := container.NewVBox(&widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis},
		&widget.Label{Truncation: fyne.TextTruncateEllipsis}, &widget.Label{Truncation: fyne.TextTruncateEllipsis})
	buttons := container.NewHBox(&widget.Button{Importance: widget.HighImportance}, &widget.Button{})
	return container.NewBorder(nil, nil, nil, buttons, lines)
}

// setChoiceRow fills a row made by newChoiceRow.
func setChoiceRow(o fyne.CanvasObject, lines [3]string, a, b string, onA, onB func()) {
	row := o.(*fyne.Container)
	for i, l := range row.Objects[0].(*fyne.Container).Objects {
		l.(*widget.Label).SetText(lines[i])
	}
	bs := row.Objects[1].(*fyne.Container).Objects
	for i, set := range []struct {
		text string
		tap  func()
	}{{a, onA}, {b, onB}} {
		btn := bs[i].(*widget.Button)
		btn.Text, btn.OnTapped = set.text, set.tap
		if set.text == "" {
			btn.Hide()
		} else {
			btn.Show()
		}
		btn.Refresh()
	}
}

func (c *conflictInbox) content() fyne.CanvasObject { return container.NewStack(c.list, c.empty) }

func (c *conflictInbox) refresh() {
	items, err := c.ui.st.Conflicts(c.ui.ctx)
	if err != nil {
		c.ui.showError(err)
		return
	}
	c.items = items
	c.empty.Hidden = len(items) > 0
	c.empty.Refresh()
	c.list.Refresh()
}

func (c *conflictInbox) updateItem(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(c.items) {
		return
	}
	k := c.items[i]
	who := k.PersonID
	if e, ok := c.ui.st.SearchEntry(k.PersonID); ok {
		who = e.Name
	}
	head := who + " · " + T("kind."+string(k.RecordKind)) + " · " + c.fieldLabel(k)
	other := T("syncscreen.other_value", c.value(k, k.OtherValue), k.OtherUser, shortDevice(c.ui.st, k.OtherDevice), formatDateTime(k.OtherTime.In(chinaTime)))
	setChoiceRow(o, [3]string{head, T("syncscreen.current_value", c.value(k, k.CurrentValue)), other},
		T("syncscreen.keep_current"), T("syncscreen.keep_other"),
		func() { c.resolve(k.ID, false) }, func() { c.resolve(k.ID, true) })
}

func (c *conflictInbox) fieldLabel(k store.Conflict) string {
	if k.Kind == store.ConflictArchive {
		return T("syncscreen.archive_conflict")
	}
	return fieldName(k.Field)
}

// value shows a field value as the forms do (labels, Chinese dates).
func (c *conflictInbox) value(k store.Conflict, v string) string {
	if k.Field == store.FieldArchived {
		if v == "1" {
			return T("history.archived")
		}
		return T("syncscreen.not_archived")
	}
	if spec := store.SpecOf(k.RecordKind); spec != nil {
		if f, ok := spec.Field(k.Field); ok {
			v = displayValue(f, v)
		}
	}
	if v == "" {
		return T("form.none")
	}
	return v
}

func (c *conflictInbox) resolve(id string, keepOther bool) {
	if err := c.ui.st.ResolveConflict(c.ui.ctx, id, keepOther); err != nil {
		c.ui.showError(err)
	}
	if c.ui.shell != nil {
		c.ui.shell.reloadAlerts()
	}
	c.refresh()
}

// duplicateList shows persons registered twice (same ID number, usually on
// two devices offline) and merges them.
type duplicateList struct {
	sh    *shell
	ui    *UI
	pairs []dupPair
	list  *widget.List
	empty *widget.Label
}

// dupPair is a pair with the names read once per refresh.
type dupPair struct {
	store.DuplicatePair
	keepText, dropText string
}

func newDuplicateList(sh *shell) *duplicateList {
	d := &duplicateList{sh: sh, ui: sh.ui, empty: &widget.Label{Text: T("syncscreen.no_duplicates"), Importance: widget.LowImportance}}
	d.list = &widget.List{Length: func() int { return len(d.pairs) }, CreateItem: newChoiceRow, UpdateItem: d.updateItem}
	d.list.ExtendBaseWidget(d.list)
	return d
}

func (d *duplicateList) content() fyne.CanvasObject { return container.NewStack(d.list, d.empty) }

func (d *duplicateList) refresh() {
	ps, err := d.ui.st.DuplicatePairs(d.ui.ctx)
	if err != nil {
		d.ui.showError(err)
		return
	}
	d.pairs = d.pairs[:0]
	for _, p := range ps {
		d.pairs = append(d.pairs, dupPair{DuplicatePair: p, keepText: d.describe(p.Keep), dropText: d.describe(p.Drop)})
	}
	d.empty.Hidden = len(d.pairs) > 0
	d.empty.Refresh()
	d.list.Refresh()
}

func (d *duplicateList) describe(id string) string {
	r, err := d.ui.st.Get(d.ui.ctx, id)
	if err != nil {
		return id
	}
	return r.Get("name") + "　" + assets.Name(r.Get("village")) + "　" + formatDate(r.Updated.Format("2006-01-02"))
}

func (d *duplicateList) updateItem(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(d.pairs) {
		return
	}
	p := d.pairs[i]
	differs := make([]string, len(p.Differs))
	for j, f := range p.Differs {
		differs[j] = fieldName(f)
	}
	setChoiceRow(o, [3]string{T("syncscreen.pair", p.keepText, p.dropText), T("syncscreen.differs", joinList(differs)), T("syncscreen.merge_hint")},
		T("syncscreen.merge"), T("syncscreen.open"),
		func() { d.merge(p.DuplicatePair) }, func() { d.sh.show(navPeople); d.sh.people.openPerson(p.Keep) })
}

// merge asks, then folds the second record into the first; the store
// keeps the history of both.
func (d *duplicateList) merge(p store.DuplicatePair) {
	d.ui.confirm(T("syncscreen.merge"), T("syncscreen.merge_text"), T("syncscreen.merge"), func() {
		if err := d.ui.st.CombinePersons(d.ui.ctx, p.Keep, p.Drop); err != nil {
			d.ui.showError(err)
		}
		d.sh.reloadAlerts()
		d.refresh()
		d.sh.people.apply()
	})
}

// joinList joins words with the language's list separator.
func joinList(ws []string) string {
	sep := "、"
	if currentLang == LangEN {
		sep = ", "
	}
	out := ""
	for i, w := range ws {
		if i > 0 {
			out += sep
		}
		out += w
	}
	if out == "" {
		return T("form.none")
	}
	return out
}
