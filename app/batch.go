package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/store"
	"rehabdesk/store/rules"
	"rehabdesk/store/valid"
)

// batchMode is what a batch records: a test day's results or a visit
// round's outcomes. Each key of keys sets one code of the kind's field.
type batchMode struct {
	kind  store.Kind
	rule  rules.Rule
	enum  string // the enumeration the key codes belong to
	field string // the field they set
	keys  []string
}

var (
	batchTests  = &batchMode{store.KindDrugTest, rules.TestDue, "test_result", "result", []string{"negative", "positive", "refused", "absent"}}
	batchVisits = &batchMode{store.KindVisit, rules.VisitDue, "visit_mode", "mode", []string{"home", "office", "phone", "video", notFound}}
)

// notFound marks a person the visitor did not find (the paper sheet's
// 未见到 box): no visit is saved, so the visit stays due.
const notFound = "not_found"

// batchScreen enters the results of a test day or the outcomes of a visit
// round for everyone due, one key per person, and saves them all at once.
// A paper sheet filled in by a volunteer is typed back here too.
type batchScreen struct {
	sh   *shell
	ui   *UI
	mode *batchMode

	modes      *widget.RadioGroup
	date       *widget.Entry
	scope      *widget.Select
	scopes     []batchScope
	collector1 *widget.Entry // the first collector, or the visitor
	collector2 *widget.Entry // the second collector, tests only
	visitorBy  *choiceInput  // staff or volunteer, visits only
	hint       *widget.Label
	summary    *widget.Label
	save       *widget.Button
	print      *widget.Button
	box        *fyne.Container
	scroll     *container.Scroll

	due   []rules.DueItem // everyone due by the month's end
	gen   int             // counts refreshes, so that only the latest one shows
	shown []rules.DueItem // those in the chosen scope, one per row
	rows  []*batchRow
	staff map[string]string // staff id -> name
	// typed are the results typed and not yet saved, by person: they
	// survive a visit to another page or scope, and go on a save or a
	// change of mode.
	typed map[string]string
}

func newBatch(sh *shell) *batchScreen {
	b := &batchScreen{sh: sh, ui: sh.ui, mode: batchTests, box: container.NewVBox(), typed: map[string]string{}}
	b.date = &widget.Entry{OnSubmitted: func(string) { b.refresh() }}
	b.scope = &widget.Select{OnChanged: func(string) { b.applyScope() }}
	b.collector1, b.collector2 = &widget.Entry{PlaceHolder: T("batch.collector1")}, &widget.Entry{PlaceHolder: T("batch.collector2")}
	b.visitorBy = newEnumInput("visitor_kind", true)
	b.hint = &widget.Label{Wrapping: fyne.TextWrapWord}
	b.summary = &widget.Label{}
	b.save = &widget.Button{Text: T("batch.save"), Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: b.onSave}
	b.print = &widget.Button{Text: T("batch.print"), Icon: theme.DocumentPrintIcon(), OnTapped: b.onPrint}
	b.scroll = container.NewVScroll(b.box)
	return b
}

func (b *batchScreen) content() fyne.CanvasObject {
	labels := []string{T("batch.mode_tests"), T("batch.mode_visits")}
	b.modes = &widget.RadioGroup{Options: labels, Horizontal: true, Required: true, OnChanged: b.onMode}
	b.modes.ExtendBaseWidget(b.modes)
	if b.ui.st.Session().Role == "volunteer" {
		b.modes.Options = labels[1:] // a volunteer logs visits only
	}
	b.modes.SetSelected(b.modes.Options[0])
	top := container.NewVBox(
		container.NewHBox(b.modes, widget.NewLabel(T("batch.date")), sized(b.date, 130), widget.NewLabel(T("batch.scope")), sized(b.scope, 260)),
		b.peopleBar(), b.hint, b.header())
	bottom := container.NewBorder(nil, nil, nil, container.NewHBox(b.print, b.save), b.summary)
	return container.NewBorder(top, bottom, nil, nil, b.scroll)
}

// peopleBar names who tests or visits: both collectors, or the visitor.
func (b *batchScreen) peopleBar() fyne.CanvasObject {
	return container.NewHBox(widget.NewLabel(T("batch.collectors")), sized(b.collector1, 120), sized(b.collector2, 120),
		b.visitorBy.object())
}

// header names the row columns.
func (b *batchScreen) header() fyne.CanvasObject {
	keys := []string{"batch.col_no", "field.name", "field.village", "batch.col_due", "batch.col_result"}
	objs := make([]fyne.CanvasObject, len(keys))
	for i, k := range keys {
		objs[i] = &widget.Label{Text: T(k), TextStyle: fyne.TextStyle{Bold: true}}
	}
	return container.New(batchColumns{}, objs...)
}

// sized keeps an entry at a readable width inside an HBox.
func sized(o fyne.CanvasObject, w float32) fyne.CanvasObject {
	return container.New(fixedWidth(w), o)
}

// onMode switches between a test day and a visit round.
func (b *batchScreen) onMode(label string) {
	b.mode = batchTests
	if label == T("batch.mode_visits") {
		b.mode = batchVisits
	}
	b.typed = map[string]string{}
	b.setDefaults()
	b.refresh()
}

// setDefaults fills the date and who records with the usual values.
func (b *batchScreen) setDefaults() {
	vals := b.ui.entryDefaults(b.mode.kind, "")
	b.date.SetText(vals["date"])
	if b.mode == batchTests {
		b.collector1.SetText(vals["collector1"])
		b.collector1.SetPlaceHolder(T("batch.collector1"))
		b.collector2.SetText(vals["collector2"])
		b.collector2.Show()
		b.visitorBy.s.Hide()
	} else {
		b.collector1.SetText(vals["visitor"])
		b.collector1.SetPlaceHolder(T("batch.visitor"))
		b.collector2.Hide()
		b.visitorBy.set(vals["visitor_kind"])
		b.visitorBy.s.Show()
	}
	b.hint.SetText(b.keyHint())
}

// keyHint tells which key sets which result.
func (b *batchScreen) keyHint() string {
	s := ""
	for i, code := range b.mode.keys {
		s += rowNumber(i) + " " + b.label(code) + "　"
	}
	return T("batch.hint", s)
}

// keyCode is the code a typed key sets: 1–4 as the hint lists, 0 or a
// space for none.
func (b *batchScreen) keyCode(c rune) (string, bool) {
	switch {
	case c == '0' || c == ' ':
		return "", true
	case c >= '1' && int(c-'1') < len(b.mode.keys):
		return b.mode.keys[c-'1'], true
	}
	return "", false
}

// label is a code as the result column shows it.
func (b *batchScreen) label(code string) string {
	switch code {
	case "":
		return ""
	case notFound:
		return T("batch.not_found")
	}
	return enumLabel(b.mode.enum, code)
}

// day is the batch date, or an error to show.
func (b *batchScreen) day() (rules.Day, error) {
	t, err := valid.ParseDate(b.date.Text)
	if err == nil && t.IsZero() {
		err = &valid.Error{Field: "date", Code: valid.CodeRequired}
	}
	if err != nil {
		return 0, err
	}
	return rules.DayOf(t), nil
}
