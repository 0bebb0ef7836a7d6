package app

import (
	"bytes"
	"fyne.io/fyne/v2/test"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rehabdesk/internal/ledgertest"
	"rehabdesk/internal/storetest"
	"rehabdesk/store"
)

func TestImportLedgerShowsProgressSummaryAndProblems(t *testing.T) {
	u := signedInUI(t, LangZH)
	var csv bytes.Buffer
	if err := ledgertest.Generate(&csv, 20, 3); err != nil {
		t.Fatal(err)
	}
	// One row with a broken ID number, as ledgers typed by hand have.
	lines := strings.Split(strings.TrimRight(csv.String(), "\n"), "\n")
	cells := strings.Split(lines[5], ",")
	for i, c := range cells {
		if len(c) == 18 && strings.Trim(c[:17], "0123456789") == "" {
			cells[i] = c[:17] + map[bool]string{true: "1", false: "2"}[c[17] != '1']
		}
	}
	lines[5] = strings.Join(cells, ",")
	path := filepath.Join(t.TempDir(), "ledger.csv")
	os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644)

	tr := u.shell.ledger
	u.shell.show(navImport)
	tr.startImport(path)
	if tr.report == nil || tr.report.New != 19 {
		t.Fatalf("import: %+v, dialogs %q", tr.report, overlayText(u))
	}
	if !strings.Contains(tr.status.Text, "新增 19 人") || !tr.saveRep.Visible() {
		t.Errorf("summary: %q", tr.status.Text)
	}
	if got := tableText(tr.problems.table); !strings.Contains(got, "校验位") || !strings.Contains(got, "未导入") {
		t.Errorf("problem report:\n%s", got)
	}
	out := filepath.Join(t.TempDir(), "problems.csv")
	if err := saveProblems(out, tr.report.Problems); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(out); !strings.Contains(string(b), "行号") {
		t.Errorf("saved report lacks its header: %q", b)
	}
	if u.shell.people.rows.total != 19 {
		t.Errorf("people list not refreshed: %d", u.shell.people.rows.total)
	}
	if es, err := u.st.AuditLog(u.ctx, store.AuditFilter{Action: store.ActionImport}); err != nil || len(es) != 1 {
		t.Errorf("import not audited: %+v (error %v)", es, err)
	}
}

func TestExportLedgerWritesTheFile(t *testing.T) {
	u := signedInUI(t, LangZH)
	addPerson(t, u, "张三", storetest.IDNumber("52010219900101123"), nil)
	path := filepath.Join(t.TempDir(), "out.xlsx")
	u.shell.ledger.startExport(path)
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		t.Fatalf("no export: %v %q", err, overlayText(u))
	}
	if !strings.Contains(u.shell.ledger.status.Text, "已导出 1 人") {
		t.Errorf("status: %q", u.shell.ledger.status.Text)
	}
}

func TestMonthlyReportWorkbookAndSubmission(t *testing.T) {
	u := signedInUI(t, LangZH)
	addPerson(t, u, "张三", storetest.IDNumber("52010219900101123"), nil)
	r := u.shell.ledger.monthly
	path := filepath.Join(t.TempDir(), "report.xlsx")
	r.run(r.selected(), path, false)
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		t.Fatalf("no workbook: %v %q", err, overlayText(u))
	}
	if !strings.Contains(r.status.Text, "已保存到") {
		t.Errorf("status: %q", r.status.Text)
	}
	r.run(r.selected(), "", true)
	if !strings.Contains(r.status.Text, "已报送") {
		t.Errorf("status after submit: %q, dialogs %q", r.status.Text, overlayText(u))
	}
}

// A report being computed shows a progress bar and can be cancelled; a
// cancelled report writes no workbook and says so in words.
func TestMonthlyReportCanBeCancelled(t *testing.T) {
	u := signedInUI(t, LangZH)
	addPerson(t, u, "张三", storetest.IDNumber("52010219900101123"), nil)
	r := u.shell.ledger.monthly
	var job func()
	u.opt.Background = func(f func()) { job = f }
	path := filepath.Join(t.TempDir(), "report.xlsx")
	r.run(r.selected(), path, false)
	if !r.busy.Visible() || !r.cancel.Visible() || !r.write.Disabled() {
		t.Fatal("a running report shows no progress bar or cancel button")
	}
	test.Tap(r.cancel)
	job()
	if _, err := os.Stat(path); err == nil {
		t.Fatal("a cancelled report left a workbook")
	}
	if got := overlayText(u); !strings.Contains(got, "已取消") || r.busy.Visible() || r.write.Disabled() {
		t.Fatalf("after cancel: dialogs %q, bar visible %v", got, r.busy.Visible())
	}
}

// An entry dated in a month already submitted changes it: the page names
// the month and the changed figures, selects it, and offers the correction,
// which is submitted as revision 2.
func TestMonthlyReportOffersCorrection(t *testing.T) {
	u := signedInUI(t, LangZH)
	r := u.shell.ledger.monthly
	last := r.months[1]
	r.month.SetSelectedIndex(1)
	r.run(last, "", true)
	if !strings.Contains(r.status.Text, "已报送第 1 版") {
		t.Fatalf("status after submit: %q, dialogs %q", r.status.Text, overlayText(u))
	}
	if _, err := u.st.Put(u.ctx, store.KindPerson, "", map[string]string{"name": "李四", "id_number": storetest.IDNumber("52010219850505234"),
		"first_found": last.First().String()}); err != nil {
		t.Fatal(err)
	}
	r.checkChanged()
	if !r.notice.Visible() || !strings.Contains(r.notice.Text, "月末在册人员") || r.submit.Text != "报送更正" || r.month.SelectedIndex() != 1 {
		t.Fatalf("no correction offered: notice %q (visible %v), button %q", r.notice.Text, r.notice.Visible(), r.submit.Text)
	}
	r.run(last, "", true)
	if !strings.Contains(r.status.Text, "已报送第 2 版") || r.notice.Visible() {
		t.Errorf("after the correction: %q", r.status.Text)
	}
}
