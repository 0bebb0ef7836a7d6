package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
)

func TestVolunteerAssignLogVisitAndUnassign(t *testing.T) {
	u := signedInUI(t, LangZH)
	pid := addPerson(t, u, "张三", storetest.IDNumber("52010219900101123"), nil)
	v := u.shell.volunteers
	u.shell.show(navVolunteers)
	v.onAdd()
	f := lastForm(t, u)
	typeInto(t, f, "name", "李老师")
	choose(t, f, "source", "elder_teacher")
	typeInto(t, f, "insurance_expiry", "2020-01-01")
	test.Tap(f.saveButton)
	if len(v.vols) != 1 {
		t.Fatalf("volunteer not saved: %q", overlayText(u))
	}
	if got := tableText(v.table); !strings.Contains(got, "李老师") || !strings.Contains(got, "老教师") || !strings.Contains(got, "2020年1月1日") {
		t.Errorf("roster row:\n%s", got)
	}
	v.selectRow(0)
	v.assign(v.vols[0], pid)
	as, err := v.assignments(v.vols[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 1 || !strings.Contains(texts(v.detail), "张三") || !strings.Contains(texts(v.detail), "保险已过期") {
		t.Fatalf("assignment not shown:\n%s", texts(v.detail))
	}
	v.logVisit(v.vols[0], pid)
	vf := lastForm(t, u)
	if vf.dirty || vf.in["visitor"].value() != "李老师" || vf.in["visitor_kind"].value() != "volunteer" {
		t.Fatal("visit form is not prefilled for the volunteer")
	}
	test.Tap(vf.saveButton)
	visits, err := u.st.List(u.ctx, store.KindVisit, store.ListFilter{PersonID: pid})
	if err != nil {
		t.Fatal(err)
	}
	if len(visits) != 1 || visits[0].Get("date") != u.st.Today().Format("2006-01-02") {
		t.Fatalf("visit not logged: %d, %q", len(visits), overlayText(u))
	}
	dismissDialogs(u)
	_, err = u.st.Put(u.ctx, store.KindAssignment, as[0].ID, map[string]string{"end_date": "2020-01-02", "start_date": "2020-01-01"})
	if err != nil {
		t.Fatal(err)
	}
	if as, err := v.assignments(v.vols[0].ID); err != nil || len(as) != 0 {
		t.Fatal("an ended assignment is still listed", err)
	}
}

func TestSwitchingToEnglishRebuildsTheWindow(t *testing.T) {
	u := signedInUI(t, LangZH)
	u.shell.show(navSettings)
	u.shell.settings.lang.set(LangEN)
	if u.app.Preferences().String(prefLang) != LangEN {
		t.Fatal("language choice not saved")
	}
	if got := texts(u.win.Content()); !strings.Contains(got, "People") || !strings.Contains(got, "Language") {
		t.Fatalf("window not in English:\n%s", got)
	}
}

func TestThemeChoiceIsSaved(t *testing.T) {
	u := signedInUI(t, LangZH)
	u.shell.settings.theme.set(ThemeDark)
	if u.app.Preferences().String(prefTheme) != ThemeDark {
		t.Fatal("theme not saved")
	}
	if th, ok := u.app.Settings().Theme().(*rehabTheme); !ok || th.mode != ThemeDark {
		t.Fatal("theme not applied")
	}
}

// TestSyncScreenCountsPendingChanges: the number shown is the length of the
// change log waiting to be pushed, and each saved form adds one.
func TestSyncScreenCountsPendingChanges(t *testing.T) {
	u := signedInUI(t, LangZH)
	addPerson(t, u, "张三", storetest.IDNumber("52010219900101123"), nil)
	u.shell.show(navSync)
	s := u.shell.sync
	if !strings.Contains(s.server.Text, "尚未在县级服务器注册") || !s.now.Disabled() {
		t.Fatalf("sync state not shown: %q / %q", s.server.Text, s.status.Text)
	}
	queue, err := u.st.LocalChanges(u.ctx, 0, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("本机尚未上传的更改：%d 条", len(queue)); s.status.Text != want {
		t.Fatalf("sync screen says %q, want %q", s.status.Text, want)
	}
	addPerson(t, u, "李四", storetest.IDNumber("52010219850505567"), nil)
	u.shell.show(navSync)
	if want := fmt.Sprintf("本机尚未上传的更改：%d 条", len(queue)+1); s.status.Text != want {
		t.Fatalf("after one more person the sync screen says %q, want %q", s.status.Text, want)
	}
}

func TestHomeShowsAlertsFromTheRules(t *testing.T) {
	u := signedInUI(t, LangZH)
	pid := addPerson(t, u, "张三", storetest.IDNumber("52010219900101123"), nil)
	_, err := u.st.Put(u.ctx, store.KindDrugTest, "", map[string]string{"person": pid, "date": u.st.Today().Format("2006-01-02"),
		"sample": "urine", "result": "positive"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = u.st.Put(u.ctx, store.KindMeasure, "", map[string]string{"person": pid, "type": "detox", "status": "active",
		"start_date": u.st.Today().AddDate(0, -2, 0).Format("2006-01-02")})
	if err != nil {
		t.Fatal(err)
	}
	u.shell.reloadAlerts() // written behind the GUI's back, as a sync would
	u.shell.show(navHome)
	h := u.shell.home.tasks
	if len(h.groups) == 0 {
		t.Fatalf("no alerts: %q", h.summary.Text)
	}
	h.openGroup(0) // the most urgent kind
	row := newAlertRow()
	h.updateItem(0, row)
	if got := texts(row); !strings.Contains(got, "张三") || !strings.Contains(got, "公安") {
		t.Errorf("first alert should be the positive test for police:\n%s", got)
	}
	h.onSelected(0)
	if u.shell.people.file == nil || u.shell.people.file.id != pid {
		t.Error("tapping the alert does not open the person")
	}
	p := u.shell.people
	p.closePerson()
	addPerson(t, u, "王五", storetest.IDNumber("52010219850505567"), nil) // no measure: no alert
	p.alerts.SetChecked(true)
	if e, _ := p.rows.get(0); p.rows.total != 1 || e.ID != pid {
		t.Errorf("has-alerts filter: %d persons", p.rows.total)
	}
}

// otherDevice is a second database of the same township, as on a laptop
// that worked offline; its changes reach u's store as a sync pull would.
func otherDevice(t *testing.T) *store.Store {
	t.Helper()
	b, err := store.Create(context.Background(), filepath.Join(t.TempDir(), "b.db"), testTownship, "other", testPassword, store.Options{KDF: storetest.FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// pullFrom gives dst what src typed, as the county's feed would.
func pullFrom(t *testing.T, dst, src *store.Store) {
	t.Helper()
	chs, err := src.LocalChanges(context.Background(), 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dst.ApplyRemote(context.Background(), chs); err != nil {
		t.Fatal(err)
	}
}

func TestConflictInboxKeepsTheChosenValue(t *testing.T) {
	u := signedInUI(t, LangZH)
	b := otherDevice(t)
	pid := addPerson(t, u, "张三", storetest.IDNumber("52010219900101123"), map[string]string{"risk": "low"})
	pullFrom(t, b, u.st)
	if _, err := b.Put(context.Background(), store.KindPerson, pid, map[string]string{"risk": "high"}); err != nil {
		t.Fatal(err)
	}
	// Edits within one millisecond tie on the clock and the device ids
	// decide; this test wants this device's edit to be the later one.
	time.Sleep(2 * time.Millisecond)
	if _, err := u.st.Put(context.Background(), store.KindPerson, pid, map[string]string{"risk": "medium"}); err != nil {
		t.Fatal(err)
	}
	pullFrom(t, u.st, b)
	u.shell.show(navSync)
	in := u.shell.sync.inbox
	if len(in.items) != 1 {
		t.Fatalf("want 1 conflict, got %d", len(in.items))
	}
	row := newChoiceRow()
	in.updateItem(0, row)
	got := texts(row)
	for _, want := range []string{"张三", "风险等级", "当前值", "另一值", "other"} {
		if !strings.Contains(got, want) {
			t.Errorf("conflict row lacks %q:\n%s", want, got)
		}
	}
	loser := in.items[0].OtherValue
	in.resolve(in.items[0].ID, true)
	r, err := u.st.Get(u.ctx, pid)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.items) != 0 || r.Get("risk") != loser {
		t.Fatalf("keeping the other value: risk=%s, %d open", r.Get("risk"), len(in.items))
	}
}

func TestDuplicatePersonsAreMerged(t *testing.T) {
	u := signedInUI(t, LangZH)
	b := otherDevice(t)
	num := storetest.IDNumber("52010219900101123")
	addPerson(t, u, "张三", num, nil)
	if _, err := b.Put(context.Background(), store.KindPerson, "", map[string]string{"name": "张叁", "id_number": num}); err != nil {
		t.Fatal(err)
	}
	pullFrom(t, u.st, b)
	u.shell.show(navSync)
	d := u.shell.sync.dups
	if len(d.pairs) != 1 {
		t.Fatalf("want 1 duplicate pair, got %d", len(d.pairs))
	}
	row := newChoiceRow()
	d.updateItem(0, row)
	if got := texts(row); !strings.Contains(got, "张三") || !strings.Contains(got, "张叁") || !strings.Contains(got, "姓名") {
		t.Errorf("pair row:\n%s", got)
	}
	d.merge(d.pairs[0].DuplicatePair)
	tapDialogButton(t, u, "合并")
	if len(d.pairs) != 0 || u.shell.people.rows.total != 1 {
		t.Fatalf("after merging: %d pairs, %d persons", len(d.pairs), u.shell.people.rows.total)
	}
}

func TestThresholdsAreSavedAsSettings(t *testing.T) {
	u := signedInUI(t, LangZH)
	f := newThresholdForm(u)
	f.entries["visit_months"].SetText("2")
	f.save()
	f2 := newThresholdForm(u)
	if f2.entries["visit_months"].Text != "2" {
		t.Fatalf("threshold not kept: %q", f2.entries["visit_months"].Text)
	}
	dismissDialogs(u)
	f2.entries["visit_months"].SetText("-1")
	f2.save()
	if got := overlayText(u); !strings.Contains(got, "走访间隔") {
		t.Errorf("bad threshold not explained: %q", got)
	}
}

func TestBackupWritesAnEncryptedFile(t *testing.T) {
	u := signedInUI(t, LangZH)
	addPerson(t, u, "张三", storetest.IDNumber("52010219900101123"), nil)
	b := newBackupForm(u)
	b.pass.SetText("backup passphrase")
	b.pass2.SetText("backup passphrase")
	path := filepath.Join(t.TempDir(), "x.backup")
	b.run(path)
	data, err := os.ReadFile(path)
	if err != nil || len(data) == 0 || strings.Contains(string(data), "张三") {
		t.Fatalf("backup missing or in clear: %v", err)
	}
	if !strings.Contains(b.status.Text, path) {
		t.Errorf("status: %q", b.status.Text)
	}
}

func TestAuditLogViewFiltersByAction(t *testing.T) {
	u := signedInUI(t, LangZH)
	id := addPerson(t, u, "张三", storetest.IDNumber("52010219900101123"), nil)
	u.st.ViewPerson(u.ctx, id)
	a := newAuditView(u)
	a.content()
	a.refresh()
	a.action.set(store.ActionViewPerson)
	if len(a.entries) != 1 || !strings.Contains(tableText(a.table), "查看档案") || !strings.Contains(tableText(a.table), "张三") {
		t.Fatalf("audit view:\n%s", tableText(a.table))
	}
}

func TestPersonFileShowsItsAlertsAfterAnEdit(t *testing.T) {
	u := signedInUI(t, LangZH)
	pid := addPerson(t, u, "张三", storetest.IDNumber("52010219900101123"), nil)
	_, err := u.st.Put(u.ctx, store.KindMeasure, "", map[string]string{"person": pid, "type": "detox", "status": "active",
		"start_date": u.st.Today().AddDate(0, -2, 0).Format("2006-01-02")})
	if err != nil {
		t.Fatal(err)
	}
	p := u.shell.people
	u.shell.show(navPeople)
	p.openPerson(pid)
	if texts(p.file.alerts) == "" {
		t.Fatal("an active measure without tests or visits raises no alert in the file")
	}
	var tab *eventTab
	for _, e := range p.file.events {
		if e.kind == store.KindDrugTest {
			tab = e
		}
	}
	tab.onAdd()
	f := lastForm(t, u)
	typeInto(t, f, "date", u.st.Today().Format("2006-01-02"))
	choose(t, f, "sample", "urine")
	choose(t, f, "result", "positive")
	test.Tap(f.saveButton)
	if got := texts(p.file.alerts); !strings.Contains(got, "须报告公安") {
		t.Errorf("positive test not flagged in the file right after saving:\n%s", got)
	}
}

func TestEmptyPeopleListExplainsWhatToDo(t *testing.T) {
	u := signedInUI(t, LangZH)
	u.shell.show(navPeople)
	if !u.shell.people.empty.Visible() || !strings.Contains(u.shell.people.empty.Text, "新增人员") {
		t.Fatal("no empty-state hint")
	}
	addPerson(t, u, "张三", storetest.IDNumber("52010219900101123"), nil)
	u.shell.people.apply()
	if u.shell.people.empty.Visible() {
		t.Fatal("hint shown over a list with persons")
	}
}

// addVolunteerAccount assigns the person pid to a new volunteer 李老师 and
// creates the account lilaoshi / "volunteer pw" for them in the accounts
// view, leaving its answer on screen.
func addVolunteerAccount(t *testing.T, u *UI, pid string) {
	t.Helper()
	vol, err := u.st.Put(u.ctx, store.KindVolunteer, "", map[string]string{"name": "李老师", "source": "elder_teacher"})
	if err != nil {
		t.Fatal(err)
	}
	u.shell.volunteers.refresh()
	u.shell.volunteers.assign(u.shell.volunteers.vols[0], pid)
	a := newAccountsView(u)
	a.content()
	a.user.SetText("lilaoshi")
	a.role.set("volunteer")
	a.volunteer.set(vol)
	a.password.SetText("volunteer pw")
	a.password2.SetText("volunteer pw")
	a.onAdd()
}

func TestVolunteerAccountSeesOnlyAssignedPersons(t *testing.T) {
	u := signedInUI(t, LangZH)
	mine := addPerson(t, u, "张三", storetest.IDNumber("52010219900101123"), nil)
	addPerson(t, u, "王五", storetest.IDNumber("52010219850505567"), nil)
	addVolunteerAccount(t, u, mine)
	if !strings.Contains(overlayText(u), "账号已创建") {
		t.Fatalf("account not created: %q", overlayText(u))
	}
	dismissDialogs(u)
	u.lockNow()
	signInWith(t, u, "lilaoshi", "volunteer pw")
	if u.shell == nil {
		t.Fatalf("volunteer cannot sign in: %q", overlayText(u))
	}
	p := u.shell.people
	u.shell.show(navPeople)
	if p.rows.total != 1 {
		t.Fatalf("volunteer sees %d persons, want only the assigned one", p.rows.total)
	}
	if got := tableText(p.table); !strings.Contains(got, "张三") || strings.Contains(got, storetest.IDNumber("52010219900101123")) {
		t.Errorf("volunteer list:\n%s", got)
	}
	if !strings.Contains(u.shell.home.tasks.summary.Text, "志愿者账号") {
		t.Errorf("home for a volunteer: %q", u.shell.home.tasks.summary.Text)
	}
	p.openPerson(mine)
	if len(p.file.events) != 1 || p.file.events[0].kind != store.KindVisit || p.file.hist != nil {
		t.Fatalf("volunteer file shows %d event tabs", len(p.file.events))
	}
	if p.file.files != nil || p.file.duties != nil || strings.Contains(texts(p.file.tabs), T("files.tab")) {
		t.Error("a volunteer's file shows the attachments or the officer's actions")
	}
}
