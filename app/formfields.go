package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/assets"
	"rehabdesk/store"
	"rehabdesk/store/valid"
)

// fieldInput is the widget editing one field of a record, whatever its type.
type fieldInput interface {
	// value is the text to hand to the store (codes for enums).
	value() string
	set(stored string)
	object() fyne.CanvasObject
	onChanged(func())
}

// formEntry is an Entry that reports losing focus (validate on blur) and
// Escape (cancel the form), which a plain Entry keeps to itself.
type formEntry struct {
	widget.Entry
	onBlur   func()
	onEscape func()
}

var _ fyne.Widget = (*formEntry)(nil)

func newFormEntry(multi bool) *formEntry {
	e := &formEntry{}
	e.MultiLine = multi
	if multi {
		e.Wrapping = fyne.TextWrapWord
		e.SetMinRowsVisible(2)
	}
	e.ExtendBaseWidget(e)
	return e
}

// FocusLost validates the field when the officer leaves it.
func (e *formEntry) FocusLost() {
	e.Entry.FocusLost()
	if e.onBlur != nil {
		e.onBlur()
	}
}

// TypedKey turns Escape into the form's cancel.
func (e *formEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}

// textInput edits text, names, ID numbers, phones, numbers and dates.
type textInput struct {
	e    *formEntry
	date bool
}

func (t *textInput) value() string { return t.e.Text }

// set shows a stored date as 2026年11月29日 in Chinese: the store reads
// that form back, and it is the form officers write on paper.
func (t *textInput) set(v string) {
	if t.date && currentLang == LangZH {
		v = formatDate(v)
	}
	t.e.SetText(v)
}
func (t *textInput) object() fyne.CanvasObject { return t.e }
func (t *textInput) entry() *formEntry         { return t.e }
func (t *textInput) onChanged(f func())        { t.e.OnChanged = func(string) { f() } }

// typed is an input the officer types into, checked with the store's rules.
type typed interface {
	fieldInput
	entry() *formEntry
}

// idInput shows a stored ID number masked until the officer asks to see
// it; showing it goes through the store, which records the reveal in the
// audit log, as in the people list.
type idInput struct {
	*textInput
	show   *widget.Button
	stored string
	masked bool
}

func newIDInput(t *textInput, reveal func() (string, error), onErr func(error)) *idInput {
	in := &idInput{textInput: t}
	in.show = &widget.Button{Text: T("form.show_id"), OnTapped: func() {
		n, err := reveal()
		if err != nil {
			onErr(err)
			return
		}
		in.masked = false
		cb := in.e.OnChanged // seeing the number is no edit
		in.e.OnChanged = nil
		in.e.SetText(n)
		in.e.OnChanged = cb
		in.e.Enable()
		in.show.Hide()
	}}
	in.show.Hide()
	return in
}

func (in *idInput) set(v string) {
	in.stored = v
	in.masked = v != ""
	if !in.masked {
		in.e.SetText("")
		in.e.Enable()
		in.show.Hide()
		return
	}
	in.e.SetText(valid.MaskID(v))
	in.e.Disable()
	in.show.Show()
}

func (in *idInput) value() string {
	if in.masked {
		return in.stored
	}
	return in.e.Text
}

func (in *idInput) object() fyne.CanvasObject {
	return container.NewBorder(nil, nil, nil, in.show, in.e)
}

// choiceInput is a Select over codes with translated labels; optional
// fields have an empty first choice.
type choiceInput struct {
	s      *widget.Select
	codes  []string
	labels []string
}

func newChoiceInput(codes, labels []string, required bool) *choiceInput {
	if !required {
		codes = append([]string{""}, codes...)
		labels = append([]string{T("form.none")}, labels...)
	}
	c := &choiceInput{codes: codes, labels: labels}
	c.s = &widget.Select{Options: labels, PlaceHolder: T("form.choose")}
	return c
}

func newEnumInput(enum string, required bool) *choiceInput {
	var codes, labels []string
	for _, o := range store.Enums[enum] {
		codes = append(codes, o.Code)
		labels = append(labels, enumLabel(enum, o.Code))
	}
	return newChoiceInput(codes, labels, required)
}

func (c *choiceInput) value() string {
	if i := c.s.SelectedIndex(); i >= 0 {
		return c.codes[i]
	}
	return ""
}

func (c *choiceInput) set(v string) {
	for i, code := range c.codes {
		if code == v {
			c.s.SetSelectedIndex(i)
			return
		}
	}
	if v == "" {
		c.s.ClearSelected()
		return
	}
	// A code this device does not list (from a newer version or a ledger)
	// is kept and shown as is rather than silently dropped.
	c.codes = append(c.codes, v)
	c.labels = append(c.labels, v)
	c.s.Options = c.labels
	c.s.SetSelectedIndex(len(c.codes) - 1)
}
func (c *choiceInput) object() fyne.CanvasObject { return c.s }
func (c *choiceInput) onChanged(f func())        { c.s.OnChanged = func(string) { f() } }

// setInput edits a set of enum codes with one check box per code, in a
// grid: a single row of twelve drug names would not fit a laptop screen.
type setInput struct {
	checks  []*widget.Check
	codes   []string
	changed func()
}

const setColumns = 3

func newSetInput(enum string) *setInput {
	var codes, labels []string
	for _, o := range store.Enums[enum] {
		codes, labels = append(codes, o.Code), append(labels, enumLabel(enum, o.Code))
	}
	return newChecksInput(codes, labels)
}

// newChecksInput is a check box per code; the value lists the checked ones.
func newChecksInput(codes, labels []string) *setInput {
	s := &setInput{codes: codes}
	for _, l := range labels {
		c := &widget.Check{Text: l}
		c.OnChanged = func(bool) {
			if s.changed != nil {
				s.changed()
			}
		}
		s.checks = append(s.checks, c)
	}
	return s
}

func (s *setInput) value() string {
	var out []string
	for i, c := range s.checks {
		if c.Checked {
			out = append(out, s.codes[i])
		}
	}
	return strings.Join(out, ",")
}

func (s *setInput) set(v string) {
	on := map[string]bool{}
	for _, code := range strings.Split(v, ",") {
		on[code] = true
	}
	for i, c := range s.checks {
		c.SetChecked(on[s.codes[i]])
	}
}

func (s *setInput) object() fyne.CanvasObject {
	objs := make([]fyne.CanvasObject, len(s.checks))
	for i, c := range s.checks {
		objs[i] = c
	}
	return container.NewGridWithColumns(setColumns, objs...)
}
func (s *setInput) onChanged(f func()) { s.changed = f }

// boolInput is a check box storing "1" or "".
type boolInput struct{ c *widget.Check }

func (b *boolInput) value() string {
	if b.c.Checked {
		return "1"
	}
	return ""
}
func (b *boolInput) set(v string)              { b.c.SetChecked(v == "1") }
func (b *boolInput) object() fyne.CanvasObject { return b.c }
func (b *boolInput) onChanged(f func())        { b.c.OnChanged = func(bool) { f() } }

// readOnlyInput shows a field the store derives (sex, birth date, report
// deadline); it is never sent back.
type readOnlyInput struct {
	l     *widget.Label
	field store.Field
}

func (r *readOnlyInput) value() string { return "" }
func (r *readOnlyInput) set(v string) {
	r.l.SetText(displayValue(r.field, v))
}
func (r *readOnlyInput) object() fyne.CanvasObject { return r.l }
func (r *readOnlyInput) onChanged(func())          {}

// displayValue renders a stored value for reading: translated enums,
// Chinese dates, 是/否 for flags.
func displayValue(f store.Field, v string) string {
	switch f.Type {
	case store.TypeEnum:
		return enumLabel(f.Enum, v)
	case store.TypeEnumSet:
		return enumSetLabel(f.Enum, v)
	case store.TypeDate:
		return formatDate(v)
	case store.TypeBool:
		if v == "1" {
			return T("form.yes")
		}
		return ""
	case store.TypeCode:
		return assets.Name(v)
	case store.TypeCodeSet:
		var names []string
		for _, c := range store.VillageCodes(v) {
			names = append(names, assets.Name(c))
		}
		return strings.Join(names, "、")
	}
	return v
}
