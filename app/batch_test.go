package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/assets"
	"rehabdesk/internal/pdfread"
	"rehabdesk/internal/storetest"
	"rehabdesk/store"
)

// batchPersons adds n persons under 社区戒毒 since two months ago, in two
// villages, with no test or visit yet: all are due.
func batchPersons(t *testing.T, u *UI, n int) []string {
	t.Helper()
	given := []rune("一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯")
	villages := assets.Villages(testTownship)
	start := u.st.Today().AddDate(0, -2, 0).Format("2006-01-02")
	ids := make([]string, n)
	for i := range ids {
		ids[i] = addPerson(t, u, "张"+string(given[i]), storetest.IDNumber(fmt.Sprintf("52010219900101%03d", i)),
			map[string]string{"village": villages[i%2].Code})
		if _, err := u.st.Put(context.Background(), store.KindMeasure, "", map[string]string{"person": ids[i], "type": "detox",
			"status": "active", "report_in_date": start, "start_date": start}); err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

// keyboard types on what has the keyboard focus, as the window does, and
// counts the key presses.
type keyboard struct {
	t     *testing.T
	c     fyne.Canvas
	count int
}

func (k *keyboard) rune(r rune) {
	k.t.Helper()
	f := k.c.Focused()
	if f == nil {
		k.t.Fatalf("nothing has the focus before key %d (%q)", k.count+1, r)
	}
	k.count++
	f.TypedRune(r)
}

func (k *keyboard) key(name fyne.KeyName) {
	k.t.Helper()
	f := k.c.Focused()
	if f == nil {
		k.t.Fatalf("nothing has the focus before key %d (%s)", k.count+1, name)
	}
	k.count++
	f.TypedKey(&fyne.KeyEvent{Name: name})
}

// resultKeys are the 20 results typed: 17 negative, then one each of
// positive, refused and absent.
const resultKeys = "11111111111111111234"

var keyResult = map[rune]string{'1': "negative", '2': "positive", '3': "refused", '4': "absent"}

func TestBatchTwentyResultsInUnderThirtyKeyPresses(t *testing.T) {
	u := signedInUI(t, LangZH)
	batchPersons(t, u, 20)
	u.shell.show(navBatch) // one tap on the side bar
	actions := 1
	b := u.shell.batch
	if len(b.rows) != 20 {
		t.Fatalf("%d rows, want the 20 persons due; summary %q", len(b.rows), b.summary.Text)
	}
	want := map[string]string{}
	for i, r := range resultKeys {
		want[b.shown[i].Person.ID] = keyResult[r]
	}
	kb := &keyboard{t: t, c: u.win.Canvas()}
	for _, r := range resultKeys {
		kb.rune(r)
	}
	if kb.c.Focused() != b.save {
		t.Fatalf("after the last row the focus is on %T, not the save button", kb.c.Focused())
	}
	kb.key(fyne.KeySpace)
	tapDialogButton(t, u, T("batch.save"))
	actions += kb.count + 1
	if actions >= 30 {
		t.Errorf("20 results took %d key presses and taps, want under 30", actions)
	}
	if got := overlayText(u); !strings.Contains(got, "已保存 20 条") || !strings.Contains(got, "须报告公安机关") {
		t.Errorf("after saving: %q", got)
	}
	checkBatchSaved(t, u, want)
}

// checkBatchSaved finds one test per person with the result typed for
// them, today's date, the signed-in collector, and an audit entry each.
func checkBatchSaved(t *testing.T, u *UI, want map[string]string) {
	t.Helper()
	tests, err := u.st.List(u.ctx, store.KindDrugTest, store.ListFilter{})
	if err != nil || len(tests) != len(want) {
		t.Fatalf("%d tests saved, want %d (%v)", len(tests), len(want), err)
	}
	audited := map[string]bool{}
	log, err := u.st.AuditLog(u.ctx, store.AuditFilter{Action: store.ActionRecord})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range log {
		audited[e.RecordID] = true
	}
	today := u.st.Today().Format("2006-01-02")
	for _, r := range tests {
		p := r.Get("person")
		if r.Get("result") != want[p] || r.Get("date") != today || r.Get("collector1") != testUser || r.Get("sample") != "urine" {
			t.Errorf("test of %s: %v, want result %s", p, r.Fields, want[p])
		}
		if !audited[r.ID] {
			t.Errorf("test %s not in the audit log", r.ID)
		}
		delete(want, p)
	}
	if len(want) != 0 {
		t.Errorf("persons without their test: %v", want)
	}
}

// TestBatchFailureMidSaveSavesNone: the 11th person moves to another
// township while results are typed; saving keeps none and names the row.
func TestBatchFailureMidSaveSavesNone(t *testing.T) {
	u := signedInUI(t, LangZH)
	batchPersons(t, u, 20)
	u.shell.show(navBatch)
	b := u.shell.batch
	kb := &keyboard{t: t, c: u.win.Canvas()}
	for _, r := range resultKeys {
		kb.rune(r)
	}
	moved := b.shown[10].Person
	if err := u.st.TransferPerson(u.ctx, moved.ID, "520102017"); err != nil {
		t.Fatal(err)
	}
	b.onSave()
	tapDialogButton(t, u, T("batch.save"))
	if got := overlayText(u); !strings.Contains(got, "第 11 行（"+moved.Name+"）") || !strings.Contains(got, "一条也没有保存") {
		t.Errorf("failure message: %q", got)
	}
	if tests, err := u.st.List(u.ctx, store.KindDrugTest, store.ListFilter{}); err != nil {
		t.Fatal(err)
	} else if len(tests) != 0 {
		t.Errorf("%d tests kept after a failed save", len(tests))
	}
	if b.rows[0].value != "negative" {
		t.Errorf("typed results were lost: row 1 = %q", b.rows[0].value)
	}
}

// TestBatchVisitRoundByVillageFromAPaperSheet: a volunteer's sheet for one
// village typed back as a visit round; Backspace clears a wrong key.
func TestBatchVisitRoundByVillageFromAPaperSheet(t *testing.T) {
	u := signedInUI(t, LangZH)
	batchPersons(t, u, 6)
	u.shell.show(navBatch)
	b := u.shell.batch
	b.modes.SetSelected(T("batch.mode_visits"))
	b.scope.SetSelectedIndex(1) // the first village
	if len(b.rows) != 3 {
		t.Fatalf("%d rows for one village, want 3; scopes %q", len(b.rows), b.scope.Options)
	}
	b.visitorBy.set("volunteer")
	b.collector1.SetText("李大爷")
	kb := &keyboard{t: t, c: u.win.Canvas()}
	for _, k := range "13" {
		kb.rune(k)
	}
	kb.key(fyne.KeyUp)
	kb.key(fyne.KeyBackspace) // the second person was not met after all
	b.onSave()
	tapDialogButton(t, u, T("batch.save"))
	visits, err := u.st.List(u.ctx, store.KindVisit, store.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(visits) != 1 || visits[0].Get("mode") != "home" || visits[0].Get("visitor_kind") != "volunteer" || visits[0].Get("visitor") != "李大爷" {
		t.Fatalf("visits saved: %d %v; dialogs %q", len(visits), visits, overlayText(u))
	}
}

// TestBatchPrintsTheListedPersonsOnAPaperSheet: the village's persons, in
// the screen's order, read back from the PDF by poppler; the print is on
// the audit log; key 5 (未见到) on the visit round saves no visit.
func TestBatchPrintsTheListedPersonsOnAPaperSheet(t *testing.T) {
	pdfread.Need(t)
	u := signedInUI(t, LangZH)
	batchPersons(t, u, 6)
	u.shell.show(navBatch)
	b := u.shell.batch
	b.modes.SetSelected(T("batch.mode_visits"))
	b.scope.SetSelectedIndex(1)
	path := filepath.Join(t.TempDir(), "sheet.pdf")
	b.writeSheet(path)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no sheet: %v %q", err, overlayText(u))
	}
	text, err := pdfread.Text(data)
	if err != nil {
		t.Fatal(err)
	}
	last := -1
	for _, it := range b.shown {
		at := strings.Index(text, it.Person.Name)
		if at <= last {
			t.Errorf("%s missing or out of order on the sheet:\n%s", it.Person.Name, text)
		}
		last = at
	}
	if !strings.Contains(text, assets.Name(b.scopes[1].village)) || !strings.Contains(text, "未见到") {
		t.Errorf("sheet lacks the village or the visit boxes:\n%s", text)
	}
	if log, err := u.st.AuditLog(u.ctx, store.AuditFilter{Action: store.ActionExport}); err != nil {
		t.Fatal(err)
	} else if len(log) != 1 || auditDetail(log[0]) != "打印走访谈话纸质登记表，3 人" {
		t.Errorf("print not audited: %+v", log)
	}
	dismissDialogs(u)
	kb := &keyboard{t: t, c: u.win.Canvas()}
	kb.rune('5')
	kb.rune('1')
	b.onSave()
	tapDialogButton(t, u, T("batch.save"))
	if visits, err := u.st.List(u.ctx, store.KindVisit, store.ListFilter{}); err != nil {
		t.Fatal(err)
	} else if len(visits) != 1 {
		t.Errorf("%d visits saved for one home visit and one 未见到", len(visits))
	}
}

// TestBatchTypedResultsSurviveAnotherPage: results typed but not saved
// are still there after a look at the People page.
func TestBatchTypedResultsSurviveAnotherPage(t *testing.T) {
	u := signedInUI(t, LangZH)
	batchPersons(t, u, 4)
	u.shell.show(navBatch)
	kb := &keyboard{t: t, c: u.win.Canvas()}
	for _, k := range "12" {
		kb.rune(k)
	}
	u.shell.show(navPeople)
	u.shell.show(navBatch)
	b := u.shell.batch
	if b.rows[0].value != "negative" || b.rows[1].value != "positive" || b.rows[2].value != "" {
		t.Errorf("after another page: %q %q %q", b.rows[0].value, b.rows[1].value, b.rows[2].value)
	}
	if !strings.Contains(b.summary.Text, "已录 2／4 人") {
		t.Errorf("summary %q", b.summary.Text)
	}
}

// TestBatchSheetCancelledMidwayLeavesNoFile: a long sheet prints with a
// progress bar and a cancel button; cancel tapped half-way through the
// rows leaves no PDF and no temporary file in the folder, says so, and
// the screen prints again afterwards.
func TestBatchSheetCancelledMidwayLeavesNoFile(t *testing.T) {
	u := signedInUI(t, LangZH)
	batchPersons(t, u, 12)
	u.shell.show(navBatch)
	b := u.shell.batch
	var job func()
	u.opt.Background = func(f func()) { job = f }
	dir := t.TempDir()
	path := filepath.Join(dir, "sheet.pdf")
	b.writeSheet(path)
	bar := progressBarIn(t, u)
	cancelled := false
	bar.TextFormatter = func() string { // runs as the bar moves: the print is under way
		if bar.Value >= 0.5 && !cancelled {
			cancelled = true
			tapDialogButton(t, u, T("transfer.cancel"))
		}
		return ""
	}
	job()
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
		t.Fatalf("a print cancelled half-way left %v (%v)", entries, err)
	}
	if got := overlayText(u); !cancelled || !strings.Contains(got, "打印已取消") || strings.Contains(got, T("print.working")) {
		t.Fatalf("after cancel (tapped %v) the dialogs say %q", cancelled, got)
	}
	dismissDialogs(u)
	u.opt.Background = func(f func()) { f() }
	b.writeSheet(path)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the screen does not print after a cancel: %v, %q", err, overlayText(u))
	}
}

// progressBarIn is the progress bar of the top dialog.
func progressBarIn(t *testing.T, u *UI) *widget.ProgressBar {
	t.Helper()
	var bar *widget.ProgressBar
	walkObjects(u.win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if p, ok := o.(*widget.ProgressBar); ok {
			bar = p
		}
	})
	if bar == nil {
		t.Fatalf("no progress bar in the dialog: %q", overlayText(u))
	}
	return bar
}
