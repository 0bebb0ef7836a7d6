package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"rehabdesk/store"
)

func TestVolunteerAssignLogVisitAndUnassign(t *testing.T) {
	u := signedInUI(t, LangZH)
	pid := addPerson(t, u, "张三", idNumber("52010219900101123"), nil)
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
	as, _ := v.assignments(v.vols[0].ID)
	if len(as) != 1 || !strings.Contains(texts(v.detail), "张三") || !strings.Contains(texts(v.detail), "保险已过期") {
		t.Fatalf("assignment not shown:\n%s", texts(v.detail))
	}
	v.logVisit(v.vols[0], pid)
	vf := lastForm(t, u)
	if vf.dirty || vf.in["visitor"].value() != "李老师" || vf.in["visitor_kind"].value() != "volunteer" {
		t.Fatal("visit form is not prefilled for the volunteer")
	}
	test.Tap(vf.saveButton)
	visits, _ := u.st.List(u.ctx, store.KindVisit, store.ListFilter{PersonID: pid})
	if len(visits) != 1 || visits[0].Get("date") != u.st.Today().Format("2006-01-02") {
		t.Fatalf("visit not logged: %d, %q", len(visits), overlayText(u))
	}
	dismissDialogs(u)
	_, err := u.st.Put(u.ctx, store.KindAssignment, as[0].ID, map[string]string{"end_date": "2020-01-02", "start_date": "2020-01-01"})
	if err != nil {
		t.Fatal(err)
	}
	if as, _ := v.assignments(v.vols[0].ID); len(as) != 0 {
		t.Fatal("an ended assignment is still listed")
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

func TestSyncScreenCountsPendingChanges(t *testing.T) {
	u := signedInUI(t, LangZH)
	addPerson(t, u, "张三", idNumber("52010219900101123"), nil)
	u.shell.show(navSync)
	n, _ := u.st.CountLocalChanges(u.ctx, 0)
	if n == 0 || !strings.Contains(u.shell.sync.pending.Text, "尚未上传") {
		t.Fatalf("pending changes not shown: %d %q", n, u.shell.sync.pending.Text)
	}
}

func TestHomeShowsAlertsFromTheRules(t *testing.T) {
	u := signedInUI(t, LangZH)
	pid := addPerson(t, u, "张三", idNumber("52010219900101123"), nil)
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
	u.shell.show(navHome)
	h := u.shell.home.tasks
	if len(h.alerts) == 0 {
		t.Fatalf("no alerts: %q", h.summary.Text)
	}
	row := newAlertRow()
	h.updateItem(0, row)
	if got := texts(row); !strings.Contains(got, "张三") || !strings.Contains(got, "公安") {
		t.Errorf("first alert should be the positive test for police:\n%s", got)
	}
	h.onSelected(0)
	if u.shell.people.file == nil || u.shell.people.file.id != pid {
		t.Error("tapping the alert does not open the person")
	}
}
