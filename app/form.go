package app

import (
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/store"
	"rehabdesk/store/valid"
)

// recordForm edits one record of any kind, built from the store's Spec of
// that kind, so every event kind gets the same behaviour: each field checked
// with the store's own rules when the officer leaves it, the translated
// error shown under the field, Enter to save, Escape to cancel.
type recordForm struct {
	ui    *UI
	kind  store.Kind
	spec  *store.Spec
	id    string            // "" for a new record
	fixed map[string]string // fields set by context, e.g. the person
	order []string
	in    map[string]fieldInput
	orig  map[string]string // input values as loaded, to send only changes
	errs  map[string]*widget.Label
	dirty bool

	presetting bool // preset is filling in defaults: no edit, no draft

	draftKey string // where typed values are kept until saved (store.SaveDraft)
	restored string // when a draft was restored: its time, shown above the fields

	saveButton *widget.Button // set when shown in a dialog

	onSaved  func(id string)
	onCancel func()
}

func newRecordForm(u *UI, kind store.Kind, rec *store.Record, fixed map[string]string) *recordForm {
	f := &recordForm{ui: u, kind: kind, spec: store.SpecOf(kind), fixed: fixed,
		in: map[string]fieldInput{}, orig: map[string]string{}, errs: map[string]*widget.Label{}}
	for _, fd := range f.spec.Fields {
		if _, ok := fixed[fd.Name]; ok {
			continue
		}
		f.order = append(f.order, fd.Name)
		f.in[fd.Name] = f.makeInput(fd)
		l := &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
		l.Hide()
		f.errs[fd.Name] = l
	}
	if rec != nil {
		f.id = rec.ID
		f.load(rec)
	}
	for _, name := range f.order {
		f.orig[name] = f.in[name].value()
		f.in[name].onChanged(func() { f.changed(name) })
	}
	f.draftKey = string(kind) + ":" + f.id + ":" + fixed["person"]
	f.restoreDraft()
	return f
}

// restoreDraft puts back what was typed into this form before the app
// closed without saving it (a crash, a power cut, the idle lock).
func (f *recordForm) restoreDraft() {
	vals, at, ok, err := f.ui.st.Draft(f.ui.ctx, f.draftKey)
	if err != nil || !ok {
		return
	}
	for _, name := range f.order {
		if v, ok := vals[name]; ok {
			f.in[name].set(v)
		}
	}
	f.dirty = true
	f.restored = formatDateTime(at)
}

// keepDraft saves every input as typed so far; it runs on each change, so
// a crash loses at most the field being typed.
func (f *recordForm) keepDraft() {
	vals := make(map[string]string, len(f.order))
	for _, name := range f.order {
		vals[name] = f.in[name].value()
	}
	if err := f.ui.st.SaveDraft(f.ui.ctx, f.draftKey, vals); err != nil {
		fyne.LogError("keep form draft", err)
	}
}

func (f *recordForm) dropDraft() {
	if err := f.ui.st.DropDraft(f.ui.ctx, f.draftKey); err != nil {
		fyne.LogError("drop form draft", err)
	}
}

// preset fills a new form with likely values; they are not unsaved
// changes until the officer edits something.
// A restored draft wins over the defaults.
func (f *recordForm) preset(vals map[string]string) {
	if f.restored != "" {
		return
	}
	f.presetting = true
	defer func() { f.presetting = false }()
	for name, v := range vals {
		if in, ok := f.in[name]; ok {
			in.set(v)
		}
	}
	f.dirty = false
}

func (f *recordForm) load(rec *store.Record) {
	for _, name := range f.order {
		f.in[name].set(rec.Get(name))
	}
}

// makeInput picks the widget for a field from its type.
func (f *recordForm) makeInput(fd store.Field) fieldInput {
	switch {
	case fd.Derived:
		return &readOnlyInput{l: &widget.Label{}, field: fd}
	case fd.Type == store.TypeEnum && oneTapEnums[fd.Enum]:
		return newRadioInput(fd.Enum)
	case fd.Type == store.TypeEnum:
		return newEnumInput(fd.Enum, fd.Required)
	case fd.Type == store.TypeEnumSet:
		return newSetInput(fd.Enum)
	case fd.Type == store.TypeBool:
		return &boolInput{c: &widget.Check{Text: fieldName(fd.Name)}}
	case fd.Type == store.TypeRef || (f.kind == store.KindAssignment && fd.Name == "member"):
		return f.refInput(fd)
	case fd.Type == store.TypeCode && fd.Name == "village":
		return villageInput(f.ui.st.Township(), fd.Required)
	case fd.Type == store.TypeCodeSet:
		return villageSetInput(f.ui.st.Township())
	}
	return f.textInput(fd)
}

func (f *recordForm) textInput(fd store.Field) fieldInput {
	e := newFormEntry(fd.Type == store.TypeLongText)
	switch fd.Type {
	case store.TypeDate:
		e.PlaceHolder = T("form.date_hint")
	case store.TypeIDNumber:
		e.PlaceHolder = T("form.id_hint")
	}
	name := fd.Name
	e.onBlur = func() { f.check(name, false) }
	e.onEscape = f.cancel
	if !e.MultiLine {
		e.OnSubmitted = func(string) { f.save() }
	}
	t := &textInput{e: e, date: fd.Type == store.TypeDate}
	if fd.Type == store.TypeIDNumber {
		return newIDInput(t, func() (string, error) { return f.ui.st.RevealID(f.ui.ctx, f.id) }, f.ui.showError)
	}
	return t
}

// changed marks the form dirty and, when the field already shows an
// error, checks it again at once so the message goes away as soon as the
// value is right.
func (f *recordForm) changed(name string) {
	if f.presetting {
		return
	}
	f.dirty = true
	f.ui.idle.Touch()
	f.keepDraft()
	if f.errs[name].Visible() {
		f.check(name, true)
	}
}

// check validates one field with the store's rules and shows or hides
// its error; force also reports a missing required value.
func (f *recordForm) check(name string, force bool) error {
	err := f.fieldError(name, force)
	f.showFieldError(name, err)
	return err
}

func (f *recordForm) fieldError(name string, force bool) error {
	in, ok := f.in[name].(typed)
	if !ok {
		if fd, _ := f.spec.Field(name); force && fd.Required && f.in[name].value() == "" && !fd.Derived {
			return &valid.Error{Field: name, Code: valid.CodeRequired}
		}
		return nil
	}
	if id, ok := in.(*idInput); ok && id.masked {
		return nil // the stored number, already valid
	}
	v := in.value()
	if fd, _ := f.spec.Field(name); fd.Required && v == "" && (force || f.in[name].value() != f.orig[name]) {
		return &valid.Error{Field: name, Code: valid.CodeRequired}
	}
	_, err := f.ui.st.NormalizeField(f.kind, name, v)
	return err
}

func (f *recordForm) showFieldError(name string, err error) {
	l := f.errs[name]
	if l == nil {
		return
	}
	if err == nil {
		l.Hide()
		return
	}
	l.SetText(errText(err))
	l.Show()
}

// values lists the fields to write: the context fields and every input
// whose value differs from what was loaded (so fields a volunteer cannot
// see are never cleared by accident).
func (f *recordForm) values() map[string]string {
	out := map[string]string{}
	for k, v := range f.fixed {
		out[k] = v
	}
	for _, name := range f.order {
		if _, ro := f.in[name].(*readOnlyInput); ro {
			continue
		}
		if v := f.in[name].value(); v != f.orig[name] || f.id == "" {
			out[name] = v
		}
	}
	return out
}

// save checks every field, then writes the record; a store error is shown
// under its field and in a dialog, in words.
func (f *recordForm) save() {
	for _, name := range f.order {
		if err := f.check(name, true); err != nil {
			f.fail(err)
			return
		}
	}
	id, err := f.ui.st.Put(f.ui.ctx, f.kind, f.id, f.values())
	if err != nil {
		f.fail(err)
		return
	}
	f.dropDraft()
	verb := "edit"
	if f.id == "" {
		verb = "add"
	}
	f.ui.auditRecord(verb, f.kind, id)
	f.id, f.dirty = id, false
	if f.onSaved != nil {
		f.onSaved(id)
	}
}

func (f *recordForm) fail(err error) {
	var ve *valid.Error
	if errors.As(err, &ve) {
		f.showFieldError(ve.Field, err)
		if t, ok := f.in[ve.Field].(typed); ok {
			f.ui.win.Canvas().Focus(t.entry())
		}
	}
	f.ui.showError(err)
}

// cancel closes the form, asking first when something was typed.
func (f *recordForm) cancel() {
	if f.onCancel == nil {
		return
	}
	discard := func() {
		f.dropDraft()
		f.onCancel()
	}
	if !f.dirty {
		discard()
		return
	}
	f.ui.confirm(T("form.discard_title"), T("form.discard_text"), T("form.discard"), discard)
}

// content lays the fields out in two columns, so a person file fits a
// 1366×768 screen with little scrolling.
func (f *recordForm) content() fyne.CanvasObject {
	var items []*widget.FormItem
	for _, name := range f.order {
		label := fieldName(name)
		if fd, _ := f.spec.Field(name); fd.Required {
			label += " *"
		}
		if _, isCheck := f.in[name].(*boolInput); isCheck {
			label = ""
		}
		items = append(items, &widget.FormItem{Text: label, Widget: container.NewVBox(f.in[name].object(), f.errs[name])})
	}
	var fields fyne.CanvasObject
	if len(items) <= 8 {
		fields = &widget.Form{Items: items}
	} else {
		half := (len(items) + 1) / 2
		fields = container.NewGridWithColumns(2, &widget.Form{Items: items[:half]}, &widget.Form{Items: items[half:]})
	}
	if f.restored == "" {
		return fields
	}
	note := &widget.Label{Text: fmt.Sprintf(T("form.draft_restored"), f.restored), Importance: widget.WarningImportance, Wrapping: fyne.TextWrapWord}
	return container.NewBorder(note, nil, nil, nil, fields)
}

// firstEntry is where the cursor starts.
func (f *recordForm) firstEntry() fyne.Focusable {
	for _, name := range f.order {
		if t, ok := f.in[name].(typed); ok && !t.entry().Disabled() {
			return t.entry()
		}
	}
	return nil
}

// showFormDialog opens a record form in a dialog with Save and Cancel.
// Closing the window while it has unsaved changes asks first.
func (u *UI) showFormDialog(title string, f *recordForm, saved func(id string)) dialog.Dialog {
	var d dialog.Dialog
	save := &widget.Button{Text: T("form.save"), Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: f.save}
	f.saveButton = save
	cancel := &widget.Button{Text: T("form.cancel"), Icon: theme.CancelIcon(), OnTapped: f.cancel}
	hint := &widget.Label{Text: T("form.keys_hint"), Importance: widget.LowImportance}
	bar := container.NewBorder(nil, nil, hint, container.NewHBox(cancel, save))
	body := container.NewBorder(nil, bar, nil, nil, container.NewScroll(f.content()))
	d = dialog.NewCustomWithoutButtons(title, body, u.win)
	f.onCancel = func() { u.formClosed(f); d.Hide() }
	f.onSaved = func(id string) {
		u.formClosed(f)
		d.Hide()
		if saved != nil {
			saved(id)
		}
	}
	u.formOpened(f)
	d.Resize(fyne.NewSize(1180, 620))
	d.Show()
	if e := f.firstEntry(); e != nil {
		u.win.Canvas().Focus(e)
	}
	return d
}
