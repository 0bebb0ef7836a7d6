package app

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/internal/pdfread"
	"rehabdesk/internal/storetest"
	"rehabdesk/store"
	"rehabdesk/store/paper"
)

// TestPrintAgreementFromThePersonFile: from the file, 打印/导出PDF lists the
// papers, choosing the agreement asks where to save, the PDF written there
// names the person and cites art. 16, and the export is in the audit log.
func TestPrintAgreementFromThePersonFile(t *testing.T) {
	pdfread.Need(t)
	u := signedInUI(t, LangZH)
	pid := addPerson(t, u, "杨秀英", storetest.IDNumber("52010219900101122"), nil)
	if _, err := u.st.Put(context.Background(), store.KindMeasure, "", map[string]string{"person": pid, "type": "detox",
		"received_date": "2026-03-02", "report_in_date": "2026-03-10", "status": "active"}); err != nil {
		t.Fatal(err)
	}
	u.shell.show(navPeople)
	u.shell.people.openPerson(pid)
	test.Tap(findButton(t, u.win.Canvas().Content(), T("person.print")))
	list := findList(t, u)
	pickListRow(t, list, "社区戒毒协议书")
	path := filepath.Join(t.TempDir(), "协议书.pdf")
	typeSavePath(t, u, path)
	pdf, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no PDF where the officer chose: %v; dialogs: %q", err, overlayText(u))
	}
	text, err := pdfread.Text(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "杨秀英") || !strings.Contains(text, "第十六条") {
		t.Errorf("the saved agreement lacks the name or art. 16:\n%s", text)
	}
	if !strings.Contains(overlayText(u), path) {
		t.Errorf("no word of where the PDF went: %q", overlayText(u))
	}
	log, err := u.st.AuditLog(context.Background(), store.AuditFilter{Action: store.ActionExport})
	if err != nil || len(log) != 1 || auditDetail(log[0]) != "打印文书：协议书" || log[0].PersonID != pid {
		t.Errorf("audit of the print: %+v, %v", log, err)
	}
}

func findButton(t *testing.T, root fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	for _, o := range test.LaidOutObjects(root) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
			return b
		}
	}
	t.Fatalf("no button %q", text)
	return nil
}

// findList is the list in the top dialog.
func findList(t *testing.T, u *UI) *widget.List {
	t.Helper()
	var list *widget.List
	walkObjects(u.win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.List); ok {
			list = l
		}
	})
	if list == nil {
		t.Fatalf("no list in the dialog: %q", overlayText(u))
	}
	return list
}

// pickListRow selects the row whose label contains text.
func pickListRow(t *testing.T, list *widget.List, text string) {
	t.Helper()
	var rows []string
	for i := range list.Length() {
		o := list.CreateItem()
		list.UpdateItem(i, o)
		rows = append(rows, o.(*widget.Label).Text)
		if strings.Contains(o.(*widget.Label).Text, text) {
			list.Select(i)
			return
		}
	}
	t.Fatalf("no row %q among %q", text, rows)
}

// typeSavePath types a path into the open save dialog and submits it.
func typeSavePath(t *testing.T, u *UI, path string) {
	t.Helper()
	var entry *widget.Entry
	walkObjects(u.win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if e, ok := o.(*widget.Entry); ok && e.PlaceHolder == T("app.path_hint") {
			entry = e
		}
	})
	if entry == nil {
		t.Fatalf("no path entry in the file dialog: %q", overlayText(u))
	}
	test.Type(entry, path)
	entry.OnSubmitted(entry.Text)
}

// TestPrintDialogFitsAndVolunteersCannotPrint: the list of papers fits the
// small screen; a volunteer's view of a file has no print button (papers
// carry what volunteers may not see).
func TestPrintDialogFitsAndVolunteersCannotPrint(t *testing.T) {
	u := signedInUI(t, LangZH)
	u.win.Resize(smallScreen)
	pid := addPerson(t, u, "张三", storetest.IDNumber("52010219900101123"), nil)
	u.shell.show(navPeople)
	u.shell.people.openPerson(pid)
	test.Tap(findButton(t, u.win.Canvas().Content(), T("person.print")))
	fitChecker{t, u}.check("print dialog")
	dismissDialogs(u)

	addVolunteerAccount(t, u, pid)
	dismissDialogs(u)
	u.lockNow()
	signInWith(t, u, "lilaoshi", "volunteer pw")
	u.shell.show(navPeople)
	u.shell.people.openPerson(pid)
	if strings.Contains(texts(u.win.Canvas().Content()), T("person.print")) {
		t.Error("a volunteer's view of the file offers to print it")
	}
}

// TestCancelledPaperWritesNoFile: the print of a paper shows a cancel
// button; cancelled before it is written, no PDF is left where the
// officer chose and nothing is audited; the file prints again afterwards.
func TestCancelledPaperWritesNoFile(t *testing.T) {
	u := signedInUI(t, LangZH)
	pid := addPerson(t, u, "杨秀英", storetest.IDNumber("52010219900101122"), nil)
	u.shell.show(navPeople)
	u.shell.people.openPerson(pid)
	var job func()
	u.opt.Background = func(f func()) { job = f }
	test.Tap(findButton(t, u.win.Canvas().Content(), T("person.print")))
	pickListRow(t, findList(t, u), "人员档案")
	path := filepath.Join(t.TempDir(), "一人一档.pdf")
	typeSavePath(t, u, path)
	tapDialogButton(t, u, T("transfer.cancel"))
	job()
	if _, err := os.Stat(path); err == nil {
		t.Fatal("a cancelled print left a PDF")
	}
	if got := overlayText(u); !strings.Contains(got, "打印已取消") {
		t.Errorf("after cancel the dialogs say %q", got)
	}
	if log, err := u.st.AuditLog(u.ctx, store.AuditFilter{Action: store.ActionExport}); err != nil || len(log) != 0 {
		t.Errorf("a cancelled print was audited: %+v, %v", log, err)
	}
	dismissDialogs(u)
	u.opt.Background = func(f func()) { f() }
	test.Tap(findButton(t, u.win.Canvas().Content(), T("person.print")))
	pickListRow(t, findList(t, u), "人员档案")
	typeSavePath(t, u, path)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the file does not print after a cancel: %v, %q", err, overlayText(u))
	}
}

// everyPaperPerson adds a person whose file has every kind of paper: a
// completed 社区康复 (its release notice too), a 社区戒毒 in force, a
// leave, a violation and a visit.
func everyPaperPerson(t *testing.T, u *UI) string {
	t.Helper()
	pid := addPerson(t, u, "杨秀英", storetest.IDNumber("52010219900101122"), nil)
	for _, e := range []struct {
		kind   store.Kind
		fields map[string]string
	}{
		{store.KindMeasure, map[string]string{"type": "rehab", "received_date": "2022-06-01", "report_in_date": "2022-06-08", "start_date": "2022-06-08", "end_date": "2025-06-07", "status": "completed"}},
		{store.KindMeasure, map[string]string{"type": "detox", "received_date": "2026-03-02", "report_in_date": "2026-03-10", "status": "active"}},
		{store.KindLeave, map[string]string{"depart_date": "2026-07-01", "expected_return": "2026-07-10", "destination": "广东省东莞市"}},
		{store.KindViolation, map[string]string{"date": "2026-05-12", "kind": "refused_test"}},
		{store.KindVisit, map[string]string{"date": "2026-04-15", "visitor_kind": "volunteer", "mode": "home"}},
	} {
		e.fields["person"] = pid
		if _, err := u.st.Put(u.ctx, e.kind, "", e.fields); err != nil {
			t.Fatalf("%s: %v", e.kind, err)
		}
	}
	return pid
}

// TestPaperNamesInChineseAreThePrintedTitles: the Chinese UI names each
// paper by the title printed on it.
func TestPaperNamesInChineseAreThePrintedTitles(t *testing.T) {
	u := signedInUI(t, LangZH)
	file, err := paper.Load(u.ctx, u.st, everyPaperPerson(t, u))
	if err != nil {
		t.Fatal(err)
	}
	papers := file.Papers(u.st.Today())
	if len(papers) != 9 {
		t.Fatalf("%d papers, want 9 (file, 2 notices, 2 agreements, a release, a leave, a warning, a visit): %+v", len(papers), papers)
	}
	for _, p := range papers {
		if paperName(p) != p.Title {
			t.Errorf("%s is listed as %q, printed as %q", p.Doc, paperName(p), p.Title)
		}
	}
}

// TestEnglishPrintListNamesNoPaperInChinese: in English the print dialog
// lists every paper in English (the papers themselves stay Chinese legal
// forms), and the suggested file name too; the person's name is data and
// stays as written.
func TestEnglishPrintListNamesNoPaperInChinese(t *testing.T) {
	u := signedInUI(t, LangEN)
	pid := everyPaperPerson(t, u)
	u.shell.show(navPeople)
	u.shell.people.openPerson(pid)
	test.Tap(findButton(t, u.win.Canvas().Content(), T("person.print")))
	list := findList(t, u)
	han := regexp.MustCompile(`\p{Han}`)
	for i := range list.Length() {
		o := list.CreateItem()
		list.UpdateItem(i, o)
		if label := o.(*widget.Label).Text; label == "" || han.MatchString(label) {
			t.Errorf("paper %d is listed as %q in English", i, label)
		}
	}
	walkVisible(u.win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if txt, ok := o.(*canvas.Text); ok && han.MatchString(strings.ReplaceAll(txt.Text, "杨秀英", "")) {
			t.Errorf("the print dialog shows Chinese in English: %q", txt.Text)
		}
	})
	file, err := paper.Load(u.ctx, u.st, pid)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range file.Papers(u.st.Today()) {
		if name := paperFileName("", p); han.MatchString(name) {
			t.Errorf("suggested file name in English: %q", name)
		}
	}
}
