package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
)

func TestAddPersonThroughTheFormShowsThemInTheList(t *testing.T) {
	u := signedInUI(t, LangZH)
	p := u.shell.people
	u.shell.show(navPeople)
	p.onAdd()
	f := lastForm(t, u)
	typeInto(t, f, "name", "张三")
	typeInto(t, f, "id_number", storetest.IDNumber("52010219900101123"))
	choose(t, f, "village", "520102016001")
	choose(t, f, "risk", "high")
	test.Tap(f.saveButton)
	if got := overlayText(u); strings.Contains(got, "出错") {
		t.Fatalf("save failed: %q", got)
	}
	p.closePerson()
	if p.rows.total != 1 || !strings.Contains(p.count.Text, "共 1 人") {
		t.Fatalf("list shows %d persons (%q)", p.rows.total, p.count.Text)
	}
	if got := tableText(p.table); !strings.Contains(got, "张三") || !strings.Contains(got, "高风险") {
		t.Errorf("the new person is not in the table:\n%s", got)
	}
	if got := tableText(p.table); strings.Contains(got, storetest.IDNumber("52010219900101123")) {
		t.Error("the full ID number is shown before it was revealed")
	}
}

func TestBadIDNumberShowsTheTranslatedErrorUnderTheField(t *testing.T) {
	u := signedInUI(t, LangZH)
	u.shell.people.onAdd()
	f := lastForm(t, u)
	typeInto(t, f, "name", "李四")
	typeInto(t, f, "id_number", "520102199001011230") // wrong check digit
	f.in["id_number"].(typed).entry().FocusLost()
	if l := f.errs["id_number"]; !l.Visible() || !strings.Contains(l.Text, "校验位不正确") || !strings.Contains(l.Text, "身份证号") {
		t.Fatalf("no translated error under the field: visible=%v %q", l.Visible(), l.Text)
	}
	test.Tap(f.saveButton)
	if got := overlayText(u); !strings.Contains(got, "校验位不正确") {
		t.Fatalf("saving should explain the bad ID in a dialog, got %q", got)
	}
	if u.shell.people.rows.total != 0 {
		t.Fatal("a person with a bad ID number was saved")
	}
	// Correcting the number clears the message as the officer types.
	typeInto(t, f, "id_number", storetest.IDNumber("52010219900101123"))
	if f.errs["id_number"].Visible() {
		t.Errorf("error still shown after the fix: %q", f.errs["id_number"].Text)
	}
}

func TestRequiredFieldIsExplained(t *testing.T) {
	u := signedInUI(t, LangEN)
	u.shell.people.onAdd()
	f := lastForm(t, u)
	typeInto(t, f, "id_number", storetest.IDNumber("52010219900101123"))
	test.Tap(f.saveButton)
	if got := overlayText(u); !strings.Contains(got, "Name") {
		t.Fatalf("missing name not explained: %q", got)
	}
}

func TestSearchAsYouTypeFiltersAndSorts(t *testing.T) {
	u := signedInUI(t, LangZH)
	addPerson(t, u, "张三", storetest.IDNumber("52010219900101123"), map[string]string{"risk": "low"})
	addPerson(t, u, "王五", storetest.IDNumber("52010219850505567"), map[string]string{"risk": "high"})
	addPerson(t, u, "赵六", storetest.IDNumber("52010219700707789"), nil)
	p := u.shell.people
	u.shell.show(navPeople)
	if p.rows.total != 3 {
		t.Fatalf("want 3 persons, got %d", p.rows.total)
	}
	test.Type(p.search, "zs")
	if p.rows.total != 1 {
		t.Fatalf("pinyin initials zs: want 1, got %d", p.rows.total)
	}
	p.search.SetText("0505")
	if e, _ := p.rows.get(0); p.rows.total != 1 || e.Name != "王五" {
		t.Fatalf("ID fragment: got %d (%s)", p.rows.total, e.Name)
	}
	p.search.SetText("")
	p.risk.set("high")
	if p.rows.total != 1 {
		t.Fatalf("risk filter: got %d", p.rows.total)
	}
	p.risk.set("")
	p.sortBy(p.sortKey) // second tap on the name column reverses
	first, _ := p.rows.get(0)
	p.sortBy(p.sortKey)
	again, _ := p.rows.get(0)
	if first.ID == again.ID {
		t.Error("tapping the sorted column again did not reverse the order")
	}
}

func TestIDNumberIsRevealedPerRowOnly(t *testing.T) {
	u := signedInUI(t, LangZH)
	a := storetest.IDNumber("52010219900101123")
	b := storetest.IDNumber("52010219850505567")
	addPerson(t, u, "张三", a, nil)
	addPerson(t, u, "王五", b, nil)
	p := u.shell.people
	u.shell.show(navPeople)
	p.onSelected(widget.TableCellID{Row: 0, Col: colIDNumber})
	got := tableText(p.table)
	e0, _ := p.rows.get(0)
	e1, _ := p.rows.get(1)
	if !strings.Contains(got, e0.IDNumber) || strings.Contains(got, e1.IDNumber) {
		t.Fatalf("reveal must show row 0 only:\n%s", got)
	}
}

func TestPersonFileAddsADrugTestAndShowsHistory(t *testing.T) {
	u := signedInUI(t, LangZH)
	id := addPerson(t, u, "张三", storetest.IDNumber("52010219900101123"), nil)
	p := u.shell.people
	u.shell.show(navPeople)
	p.openPerson(id)
	var tab *eventTab
	for _, e := range p.file.events {
		if e.kind == store.KindDrugTest {
			tab = e
		}
	}
	tab.onAdd()
	f := lastForm(t, u)
	typeInto(t, f, "date", "2026年11月2日")
	choose(t, f, "sample", "urine")
	choose(t, f, "result", "negative")
	test.Tap(f.saveButton)
	if len(tab.recs) != 1 || tab.recs[0].Get("date") != "2026-11-02" {
		t.Fatalf("drug test not saved: %d records, dialogs %q", len(tab.recs), overlayText(u))
	}
	if got := tableText(tab.table); !strings.Contains(got, "2026年11月2日") || !strings.Contains(got, "阴性") {
		t.Errorf("test row not shown in Chinese:\n%s", got)
	}
	p.file.hist.refresh()
	if got := tableText(p.file.hist.table); !strings.Contains(got, "检测结果") || !strings.Contains(got, "本机") || !strings.Contains(got, testUser) {
		t.Errorf("history does not list the change:\n%s", got)
	}
}

func TestCancellingADirtyFormAsksFirst(t *testing.T) {
	u := signedInUI(t, LangZH)
	u.shell.people.onAdd()
	f := lastForm(t, u)
	typeInto(t, f, "name", "张三")
	f.cancel()
	if got := overlayText(u); !strings.Contains(got, "未保存的修改") {
		t.Fatalf("no question before discarding: %q", got)
	}
	if len(u.forms) != 1 {
		t.Fatal("the form closed without asking")
	}
}

func TestRevealsAndFileViewsAreAudited(t *testing.T) {
	u := signedInUI(t, LangZH)
	num := storetest.IDNumber("52010219900101123")
	id := addPerson(t, u, "张三", num, nil)
	p := u.shell.people
	u.shell.show(navPeople)
	p.onSelected(widget.TableCellID{Row: 0, Col: colIDNumber})
	p.openPerson(id)
	in := p.file.basic.in["id_number"].(*idInput)
	if in.e.Text == num || !in.e.Disabled() {
		t.Fatal("the person form shows the full ID number before it is asked for")
	}
	test.Tap(in.show)
	if in.e.Text != num || p.file.basic.dirty {
		t.Fatalf("reveal in the form: %q dirty=%v", in.e.Text, p.file.basic.dirty)
	}
	for action, want := range map[string]int{store.ActionRevealID: 2, store.ActionViewPerson: 1} {
		es, err := u.st.AuditLog(u.ctx, store.AuditFilter{Action: action})
		if err != nil || len(es) != want {
			t.Errorf("%s: %d audit entries (%v), want %d", action, len(es), err, want)
		}
	}
}

func TestArchivingAPersonTakesThemOffTheList(t *testing.T) {
	u := signedInUI(t, LangZH)
	id := addPerson(t, u, "张三", storetest.IDNumber("52010219900101123"), nil)
	p := u.shell.people
	u.shell.show(navPeople)
	p.openPerson(id)
	p.file.onArchive()
	tapDialogButton(t, u, "归档此人")
	if p.file != nil || p.rows.total != 0 {
		t.Fatalf("after archiving: file open=%v, %d persons", p.file != nil, p.rows.total)
	}
}

func TestEscapeAndWindowCloseAskAboutUnsavedChanges(t *testing.T) {
	u := signedInUI(t, LangZH)
	u.shell.people.onAdd()
	f := lastForm(t, u)
	typeInto(t, f, "name", "张三")
	u.onKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if !strings.Contains(overlayText(u), "确定放弃吗") {
		t.Fatalf("Escape closed a dirty form without asking: %q", overlayText(u))
	}
	tapDialogButton(t, u, "取消")
	u.onCloseRequest()
	if !strings.Contains(overlayText(u), "关闭窗口将丢失") {
		t.Fatalf("closing the window did not ask: %q", overlayText(u))
	}
}

func TestEnterInAFieldSaves(t *testing.T) {
	u := signedInUI(t, LangZH)
	u.shell.show(navPeople)
	u.shell.people.onAdd()
	f := lastForm(t, u)
	typeInto(t, f, "name", "张三")
	typeInto(t, f, "id_number", storetest.IDNumber("52010219900101123"))
	f.in["id_number"].(typed).entry().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(u.forms) != 1 || u.shell.people.file == nil { // the dialog closed, the new file is open (its basic form)
		t.Fatalf("Enter did not save: %d forms open, %q", len(u.forms), overlayText(u))
	}
}
