package app

import (
	"regexp"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"rehabdesk/store"
)

// latinAllowed are the words a Chinese screen may show in Latin letters
// alone: the test's user name, ID numbers (masked or not), the product's
// name and file formats officers know by those letters.
var latinAllowed = regexp.MustCompile(`^(?:` + testUser + `|[0-9*]{14,17}[0-9Xx*]|RehabDesk|Excel|WPS|xlsx|csv|pdf|PDF|CSV)$`)

var latinLetter = regexp.MustCompile(`[A-Za-z]`)

// untranslated returns the shown texts made of ASCII only that hold a
// Latin letter and are not allowed: English that leaked into Chinese.
func untranslated(roots ...fyne.CanvasObject) []string {
	var out []string
	for _, r := range roots {
		walkVisible(r, func(o fyne.CanvasObject) {
			t, ok := o.(*canvas.Text)
			if !ok || !latinLetter.MatchString(t.Text) || latinAllowed.MatchString(t.Text) {
				return
			}
			for _, c := range t.Text {
				if c > 127 {
					return // Chinese with a code or a name in it
				}
			}
			out = append(out, t.Text)
		})
	}
	return out
}

// walkVisible visits every visible object under o, scroll areas included.
func walkVisible(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	if o == nil || !o.Visible() {
		return
	}
	visit(o)
	switch v := o.(type) {
	case *container.Scroll:
		walkVisible(v.Content, visit)
	case *fyne.Container:
		for _, c := range v.Objects {
			walkVisible(c, visit)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(v).Objects() {
			walkVisible(c, visit)
		}
	}
}

// TestEveryScreenIsInChinese walks the pages, the person file's tabs, the
// forms, the batch list and a dialog in Chinese and fails on any label in
// English (issue 17).
func TestEveryScreenIsInChinese(t *testing.T) {
	u := signedInUI(t, LangZH)
	persons := batchPersons(t, u, 3)
	check := func(where string) {
		t.Helper()
		cv := u.win.Canvas()
		if bad := untranslated(append([]fyne.CanvasObject{cv.Content()}, cv.Overlays().List()...)...); len(bad) > 0 {
			t.Errorf("%s shows English: %q", where, bad)
		}
	}
	for i, name := range smokeNames {
		u.shell.show(i)
		check(name)
	}
	u.shell.show(navPeople)
	u.shell.people.openPerson(persons[0])
	file := u.shell.people.file
	for i, item := range file.tabs.Items {
		file.tabs.SelectIndex(i)
		check("person file tab " + item.Text)
	}
	for _, tab := range file.events {
		tab.onAdd()
		check("new " + string(tab.kind) + " form")
		closeForm(t, u)
	}
	for _, add := range []func(){u.shell.volunteers.onAdd, u.shell.staff.onAdd, u.shell.people.onAdd} {
		add()
		check("new record form")
		closeForm(t, u)
	}
	u.shell.batch.onSave()
	check("batch with nothing typed")
	dismissDialogs(u)
	if _, err := u.st.Put(u.ctx, store.KindVolunteer, "", map[string]string{"name": "李老师", "source": "elder_teacher"}); err != nil {
		t.Fatal(err)
	}
	u.shell.show(navVolunteers)
	u.shell.volunteers.selectRow(0)
	check("volunteer detail")
}

// TestUntranslatedFindsEnglish: the check itself finds an English label
// and lets Chinese, numbers, dates and ID numbers pass.
func TestUntranslatedFindsEnglish(t *testing.T) {
	objs := []fyne.CanvasObject{canvas.NewText("Save", nil), canvas.NewText("保存", nil), canvas.NewText("2026-12-07", nil),
		canvas.NewText("520102199001011234", nil), canvas.NewText("5201**********123X", nil), canvas.NewText("共 12 人", nil)}
	if got := untranslated(container.NewVBox(objs...)); len(got) != 1 || got[0] != "Save" {
		t.Errorf("found %q, want only Save", got)
	}
}
