package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"rehabdesk/assets"
	"rehabdesk/internal/storetest"
	"rehabdesk/store"
	"rehabdesk/store/rules"
)

// dutyFile opens the file of a person under an active 社区戒毒 measure that
// reported in reportedDaysAgo days ago.
func dutyFile(t *testing.T, u *UI, reportedDaysAgo int) (*personFile, string, string) {
	t.Helper()
	p := addPerson(t, u, "张三", storetest.IDNumber("52010219900101123"), nil)
	in := u.st.Today().AddDate(0, 0, -reportedDaysAgo).Format("2006-01-02")
	m, err := u.st.Put(u.ctx, store.KindMeasure, "", map[string]string{"person": p, "type": "detox", "status": "active",
		"received_date": in, "report_in_date": in, "start_date": in, "planned_end": u.st.Today().AddDate(2, 0, 0).Format("2006-01-02")})
	if err != nil {
		t.Fatal(err)
	}
	u.shell.show(navPeople)
	u.shell.people.openPerson(p)
	return u.shell.people.file, p, m
}

// ruleOn reports whether the file's person has an alert of the rule.
func ruleOn(u *UI, person string, r rules.Rule) bool {
	for _, a := range u.shell.personAlerts(person) {
		if a.Rule == r.ID {
			return true
		}
	}
	return false
}

func daysAgo(u *UI, n int) string { return u.st.Today().AddDate(0, 0, -n).Format("2006-01-02") }

// tapDuty taps a workflow button of the file and returns its dialog.
func tapDuty(t *testing.T, f *personFile, name string) *dutyDialog {
	t.Helper()
	b := f.duties.buttons[name]
	if !b.Visible() {
		t.Fatalf("button %s is hidden", name)
	}
	test.Tap(b)
	return f.duties.last
}

func TestSignAgreementActionClearsTheMissingAgreementAlert(t *testing.T) {
	u := signedInUI(t, LangZH)
	f, p, _ := dutyFile(t, u, 20)
	if !ruleOn(u, p, rules.AgreementMissing) {
		t.Fatal("no agreement-missing alert 20 days after report-in")
	}
	dd := tapDuty(t, f, store.DutyAgreement)
	dd.entries["staff_member"].SetText("李专干")
	test.Tap(dd.ok)
	if ruleOn(u, p, rules.AgreementMissing) || strings.Contains(texts(f.alerts), "协议") {
		t.Errorf("agreement signed, alert still shown: %q", texts(f.alerts))
	}
	as := listOf(t, u, store.KindAgreement, p)
	if len(as) != 1 || as[0].Get("staff_member") != "李专干" || as[0].Get("signed_date") != daysAgo(u, 0) {
		t.Fatalf("agreements %v", as)
	}
	if got := tableText(f.events[1].table); !strings.Contains(got, "李专干") {
		t.Errorf("the agreement tab does not list it:\n%s", got)
	}
	es, err := u.st.AuditLog(u.ctx, store.AuditFilter{Action: store.ActionRecord})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) == 0 || auditDetail(es[0]) != "签订协议" {
		t.Errorf("audit: %v", es)
	}
}

func TestLeaveActionRefusesBadDatesAndTheReturnClearsTheOverdueAlert(t *testing.T) {
	u := signedInUI(t, LangZH)
	f, p, _ := dutyFile(t, u, 200)
	if f.duties.buttons[store.DutyReturn].Visible() {
		t.Fatal("record return offered with no leave")
	}
	dd := tapDuty(t, f, store.DutyLeave)
	dd.entries["depart_date"].SetText(daysAgo(u, 40))
	dd.entries["expected_return"].SetText(daysAgo(u, 41))
	test.Tap(dd.ok)
	if !dd.errL.Visible() || !strings.Contains(dd.errL.Text, "早于") {
		t.Fatalf("return before departure: error %q shown=%v", dd.errL.Text, dd.errL.Visible())
	}
	if ls := listOf(t, u, store.KindLeave, p); len(ls) != 0 {
		t.Fatal("a refused leave was saved")
	}
	dd.entries["expected_return"].SetText(daysAgo(u, 35)) // typed values stayed: fix one field
	dd.entries["destination"].SetText("遵义")
	test.Tap(dd.ok)
	if !ruleOn(u, p, rules.LeaveOverdue) {
		t.Fatal("no overdue alert for a leave 35 days past its return")
	}
	dd = tapDuty(t, f, store.DutyReturn)
	if got := dd.selects["leave"].Selected; !strings.Contains(got, "遵义") {
		t.Fatalf("leave offered: %q", got)
	}
	dd.entries["actual_return"].SetText(daysAgo(u, 34))
	test.Tap(dd.ok)
	if ruleOn(u, p, rules.LeaveOverdue) || f.duties.buttons[store.DutyReturn].Visible() {
		t.Error("the return is recorded, the overdue alert or the return button stays")
	}
}

func TestLostContactActionAlertsUntilFound(t *testing.T) {
	u := signedInUI(t, LangZH)
	f, p, _ := dutyFile(t, u, 30)
	if f.duties.buttons[store.DutyFound].Visible() {
		t.Fatal("found offered for a person in contact")
	}
	dd := tapDuty(t, f, store.DutyLost)
	dd.entries["lost_contact"].SetText(daysAgo(u, 2))
	test.Tap(dd.ok)
	if !ruleOn(u, p, rules.LostContact) || !f.duties.buttons[store.DutyFound].Visible() || f.duties.buttons[store.DutyLost].Visible() {
		t.Fatal("marked lost: no alert or the buttons did not switch")
	}
	test.Tap(tapDuty(t, f, store.DutyFound).ok)
	if ruleOn(u, p, rules.LostContact) || !f.duties.buttons[store.DutyLost].Visible() {
		t.Error("found again: the alert stays")
	}
}

func TestOutcomeActionsSetTheStatusAndShowTheEndOfControl(t *testing.T) {
	u := signedInUI(t, LangZH)
	f, p, m := dutyFile(t, u, 3*365)
	outcome := func(o string, day string) *dutyDialog {
		dd := tapDuty(t, f, "outcome")
		for i, x := range outcomes {
			if x == o {
				dd.selects["outcome"].SetSelectedIndex(i)
			}
		}
		dd.entries["day"].SetText(day)
		test.Tap(dd.ok)
		return dd
	}
	status := func() string { r := getRec(t, u, m); return r.Get("status") }
	outcome(store.DutySuspended, daysAgo(u, 100))
	if status() != "suspended" {
		t.Fatalf("after 中止: %s", status())
	}
	if dd := outcome(store.DutySuspended, daysAgo(u, 90)); !dd.errL.Visible() {
		t.Fatal("suspending twice is not refused")
	} else {
		dd.d.Hide()
	}
	outcome(store.DutyResumed, daysAgo(u, 80))
	if f.duties.control.Visible() {
		t.Fatal("end of control shown while the measure runs")
	}
	outcome(store.DutyCompleted, daysAgo(u, 10))
	r := getRec(t, u, m)
	if r.Get("status") != "completed" || r.Get("end_date") != daysAgo(u, 10) {
		t.Fatalf("after 期满解除: %v", r.Fields)
	}
	if got := f.duties.control.Text; !f.duties.control.Visible() || !strings.Contains(got, "戒断三年未复吸将于") || !strings.Contains(got, "第七条") {
		t.Errorf("end of control on the file: %q", got)
	}
	if ruleOn(u, p, rules.TestDue) {
		t.Error("a completed measure still alerts as overdue")
	}
}

func TestTerminateActionEndsAPendingMeasure(t *testing.T) {
	u := signedInUI(t, LangZH)
	p := addPerson(t, u, "李四", storetest.IDNumber("52010219850505567"), nil)
	m := putRec(t, u, store.KindMeasure, map[string]string{"person": p, "type": "rehab", "status": "pending", "received_date": daysAgo(u, 40)})
	u.shell.people.openPerson(p)
	f := u.shell.people.file
	if !ruleOn(u, p, rules.ReportInOverdue) {
		t.Fatal("no report-in overdue alert")
	}
	dd := tapDuty(t, f, "outcome")
	dd.selects["outcome"].SetSelected(T("duty.outcome." + store.DutyTerminated))
	test.Tap(dd.ok)
	if r := getRec(t, u, m); r.Get("status") != "terminated" || ruleOn(u, p, rules.ReportInOverdue) {
		t.Errorf("after 终止: %v", r.Fields)
	}
}

// The receiving township of a transfer (or any township) records the
// report-in of a pending measure from the file.
func TestReportInActionStartsThePendingMeasure(t *testing.T) {
	u := signedInUI(t, LangZH)
	p := addPerson(t, u, "李四", storetest.IDNumber("52010219850505567"), nil)
	m := putRec(t, u, store.KindMeasure, map[string]string{"person": p, "type": "detox", "status": "pending", "received_date": daysAgo(u, 10)})
	u.shell.people.openPerson(p)
	f := u.shell.people.file
	if !ruleOn(u, p, rules.ReportInDue) {
		t.Fatal("no report-in alert")
	}
	dd := tapDuty(t, f, "outcome")
	dd.selects["outcome"].SetSelected(T("duty.outcome." + store.DutyReportedIn))
	dd.entries["day"].SetText(daysAgo(u, 2))
	test.Tap(dd.ok)
	r := getRec(t, u, m)
	if r.Get("status") != "active" || r.Get("report_in_date") != daysAgo(u, 2) || ruleOn(u, p, rules.ReportInDue) || !ruleOn(u, p, rules.AgreementMissing) {
		t.Errorf("after 报到: %v", r.Fields)
	}
}

func TestTransferActionOffersTheCountysTownshipsAndTheFileLeaves(t *testing.T) {
	u := signedInUI(t, LangZH)
	f, p, _ := dutyFile(t, u, 30)
	dd := tapDuty(t, f, store.DutyTransfer)
	opts := dd.selects["township"].Options
	if !contains(opts, "西湖路街道") || contains(opts, assets.Name(testTownship)) {
		t.Fatalf("receiving townships: %v", opts)
	}
	test.Tap(dd.ok)
	if !dd.errL.Visible() {
		t.Fatal("a transfer with no township chosen is not refused")
	}
	dd.selects["township"].SetSelected("西湖路街道")
	test.Tap(dd.ok)
	if u.shell.people.file != nil || !strings.Contains(overlayText(u), "张三 已转至 西湖路街道") {
		t.Fatalf("after the transfer: file open=%v, %q", u.shell.people.file != nil, overlayText(u))
	}
	if _, err := u.st.Get(u.ctx, p); err == nil {
		t.Error("the person is still on this township's device")
	}
	u.shell.home.refresh()
	if !strings.Contains(u.shell.home.moved.Text, "张三 → 西湖路街道") {
		t.Errorf("home does not name the transfer: %q", u.shell.home.moved.Text)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func getRec(t *testing.T, u *UI, id string) *store.Record {
	t.Helper()
	r, err := u.st.Get(u.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func listOf(t *testing.T, u *UI, kind store.Kind, person string) []*store.Record {
	t.Helper()
	rs, err := u.st.List(u.ctx, kind, store.ListFilter{PersonID: person})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func putRec(t *testing.T, u *UI, kind store.Kind, f map[string]string) string {
	t.Helper()
	id, err := u.st.Put(u.ctx, kind, "", f)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// The found and resumed forms ask for the day it happened: today by
// default; a day after today, or before the 失联 or 中止 began, is
// refused in words in the dialog, which stays open with what was typed;
// an earlier day is kept as the officer gave it.
func TestFoundAndResumedFormsTakeTheDay(t *testing.T) {
	u := signedInUI(t, LangZH)
	f, p, m := dutyFile(t, u, 200)
	dd := tapDuty(t, f, store.DutyLost)
	dd.entries["lost_contact"].SetText(daysAgo(u, 20))
	test.Tap(dd.ok)
	dd = tapDuty(t, f, store.DutyFound)
	if got := dd.entries["found_date"].Text; got != daysAgo(u, 0) {
		t.Fatalf("found date starts at %q, want today %s", got, daysAgo(u, 0))
	}
	for day, words := range map[string]string{daysAgo(u, -1): "晚于今天", daysAgo(u, 21): "早于"} {
		dd.entries["found_date"].SetText(day)
		test.Tap(dd.ok)
		if !dd.errL.Visible() || !strings.Contains(dd.errL.Text, words) || !strings.Contains(dd.errL.Text, "找回日期") {
			t.Errorf("found on %s: message %q, want one saying %s", day, dd.errL.Text, words)
		}
		if getRec(t, u, p).Get("lost_contact") != daysAgo(u, 20) || dd.entries["found_date"].Text != day {
			t.Fatalf("a refused day changed the file or the form")
		}
	}
	dd.entries["found_date"].SetText(daysAgo(u, 5))
	test.Tap(dd.ok)
	if r := getRec(t, u, p); r.Get("lost_contact") != "" || r.Get("found_date") != daysAgo(u, 5) {
		t.Fatalf("found: %v", r.Fields)
	}

	if err := u.st.SetMeasureOutcome(u.ctx, m, store.DutySuspended, daysAgo(u, 30)); err != nil {
		t.Fatal(err)
	}
	dd = tapDuty(t, f, "outcome")
	dd.selects["outcome"].SetSelected(T("duty.outcome." + store.DutyResumed))
	if got := dd.entries["day"].Text; got != daysAgo(u, 0) {
		t.Fatalf("resumed day starts at %q, want today", got)
	}
	dd.entries["day"].SetText(daysAgo(u, -3))
	test.Tap(dd.ok)
	if !dd.errL.Visible() || !strings.Contains(dd.errL.Text, "晚于今天") || getRec(t, u, m).Get("status") != "suspended" {
		t.Fatalf("resumed in three days: %q, status %s", dd.errL.Text, getRec(t, u, m).Get("status"))
	}
	dd.entries["day"].SetText(daysAgo(u, 2))
	test.Tap(dd.ok)
	if r := getRec(t, u, m); r.Get("status") != "active" || r.Get("resumed_date") != daysAgo(u, 2) {
		t.Fatalf("resumed: %v", r.Fields)
	}
}
