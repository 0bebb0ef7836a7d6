package app

import (
	"fmt"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
)

// smallScreen is the smallest laptop screen officers use; 1366×768 is
// larger both ways.
var smallScreen = fyne.NewSize(1280, 720)

// fitChecker checks that the window content never needs more than the
// screen (Fyne would grow the window) and that every button outside a
// scroll area, and every scroll area, lies inside the window.
type fitChecker struct {
	t *testing.T
	u *UI
}

func (c fitChecker) check(where string) {
	c.t.Helper()
	cv := c.u.win.Canvas()
	if min := cv.Content().MinSize(); min.Width > smallScreen.Width || min.Height > smallScreen.Height {
		c.t.Errorf("%s: the window content needs %v, more than a %v screen", where, min, smallScreen)
	}
	roots := append([]fyne.CanvasObject{cv.Content()}, cv.Overlays().List()...)
	for _, r := range roots {
		walkUnscrolled(r, func(o fyne.CanvasObject) {
			_, isButton := o.(*widget.Button)
			_, isScroll := o.(*container.Scroll)
			if !isButton && !isScroll {
				return
			}
			pos := c.u.app.Driver().AbsolutePositionForObject(o)
			end := pos.Add(o.Size())
			if pos.X < 0 || pos.Y < 0 || end.X > smallScreen.Width+0.5 || end.Y > smallScreen.Height+0.5 {
				c.t.Errorf("%s: %s at %v–%v is outside the %v window", where, describe(o), pos, end, smallScreen)
			}
		})
	}
}

func describe(o fyne.CanvasObject) string {
	if b, ok := o.(*widget.Button); ok {
		return fmt.Sprintf("button %q", b.Text)
	}
	return fmt.Sprintf("%T", o)
}

// walkUnscrolled visits the visible objects under o, not entering scroll
// areas (what they hide is reached by scrolling).
func walkUnscrolled(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	if o == nil || !o.Visible() {
		return
	}
	visit(o)
	switch v := o.(type) {
	case *container.Scroll:
	case *fyne.Container:
		for _, c := range v.Objects {
			walkUnscrolled(c, visit)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(v).Objects() {
			walkUnscrolled(c, visit)
		}
	}
}

// closeForm cancels the open form, discarding what it holds.
func closeForm(t *testing.T, u *UI) {
	t.Helper()
	f := lastForm(t, u)
	f.dirty = false
	f.cancel()
}

func TestFirstRunWizardFitsTheSmallScreen(t *testing.T) {
	u := newTestUI(t, filepath.Join(t.TempDir(), "new.db"), LangZH)
	c := fitChecker{t, u}
	c.check("first-run wizard")
	for _, o := range test.LaidOutObjects(u.win.Canvas().Content()) {
		if a, ok := o.(*widget.Accordion); ok {
			a.OpenAll()
		}
	}
	c.check("first-run wizard with enrolment open")
}

func TestEveryScreenAndDialogFitsTheSmallScreen(t *testing.T) {
	u := signedInUI(t, LangZH)
	u.win.Resize(smallScreen)
	c := fitChecker{t, u}
	person := addPerson(t, u, "张三", storetest.IDNumber("52010219900101123"), nil)
	for i, name := range smokeNames { // every page, in navigation order
		u.shell.show(i)
		c.check(name)
	}
	u.shell.show(navPeople)
	u.shell.people.onAdd()
	c.check("new person form")
	closeForm(t, u)
	u.shell.people.openPerson(person)
	file := u.shell.people.file
	for i, item := range file.tabs.Items {
		file.tabs.SelectIndex(i)
		c.check("person file tab " + item.Text)
	}
	for _, tab := range file.events {
		tab.onAdd()
		c.check("new " + string(tab.kind) + " form")
		closeForm(t, u)
	}
	u.shell.show(navVolunteers)
	u.shell.volunteers.onAdd()
	c.check("new volunteer form")
	closeForm(t, u)
	u.shell.show(navStaff)
	u.shell.staff.onAdd()
	c.check("new staff form")
	closeForm(t, u)
	u.showMessage("标题", "很长的说明。"+string(make([]byte, 0))+fmt.Sprint(make([]int, 200)))
	c.check("message")
	dismissDialogs(u)
	u.confirm("标题", "确认？", "确定", func() {})
	c.check("confirm")
	dismissDialogs(u)
	u.pickOpenPath([]string{".xlsx"}, func(string) {})
	c.check("file open dialog")
	dismissDialogs(u)
}

func TestEmptyTabHintLiesBelowTheColumnHeaders(t *testing.T) {
	u := signedInUI(t, LangZH)
	tab := openTab(t, u, addPerson(t, u, "张三", storetest.IDNumber("52010219900101123"), nil), store.KindDrugTest)
	w := test.NewWindow(tab.content()) // a short tab: the hint used to sit over the headers
	defer w.Close()
	w.Resize(fyne.NewSize(700, 140))
	d := u.app.Driver()
	headerBottom := d.AbsolutePositionForObject(tab.table).Y + tab.table.CreateHeader().MinSize().Height
	if !tab.empty.Visible() {
		t.Fatal("the empty hint is not shown on an empty tab")
	}
	if top := d.AbsolutePositionForObject(tab.empty).Y; top < headerBottom {
		t.Errorf("empty hint starts at y=%v, over the column headers ending at y=%v", top, headerBottom)
	}
}

// The people list's hint on a new database: centred over the table, the
// wrapping hint shrank to one character a line down the middle column.
func TestEmptyPeopleHintIsOneReadableLineBelowTheHeaders(t *testing.T) {
	u := signedInUI(t, LangZH)
	u.win.Resize(fyne.NewSize(1280, 720))
	u.shell.show(navPeople)
	p := u.shell.people
	p.refresh()
	if !p.empty.Visible() {
		t.Fatal("no hint on an empty list")
	}
	d := u.app.Driver()
	headerBottom := d.AbsolutePositionForObject(p.table).Y + p.table.CreateHeader().MinSize().Height
	if top := d.AbsolutePositionForObject(p.empty).Y; top < headerBottom {
		t.Errorf("hint starts at y=%v, over the column headers ending at y=%v", top, headerBottom)
	}
	if w := p.empty.Size().Width; w < 600 {
		t.Errorf("hint is %v wide: its text wraps a few characters a line", w)
	}
}
