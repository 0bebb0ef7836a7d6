package app

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
)

// openTab opens a person's file on the tab of one event kind.
func openTab(t *testing.T, u *UI, person string, kind store.Kind) *eventTab {
	t.Helper()
	p := u.shell.people
	u.shell.show(navPeople)
	p.openPerson(person)
	for _, e := range p.file.events {
		if e.kind == kind {
			return e
		}
	}
	t.Fatalf("no %s tab", kind)
	return nil
}

// radioChoice is the tappable button of one option of a radio input.
func radioChoice(t *testing.T, in *radioInput, code string) fyne.Tappable {
	t.Helper()
	for i, c := range in.codes {
		if c == code {
			return test.WidgetRenderer(in.r).Objects()[i].(fyne.Tappable)
		}
	}
	t.Fatalf("no choice %s", code)
	return nil
}

func TestRoutineNegativeUrineTestIsThreeActionsWithDefaults(t *testing.T) {
	u := signedInUI(t, LangZH)
	ctx := context.Background()
	if _, err := u.st.Put(ctx, store.KindStaff, "", map[string]string{"name": "王芳", "role": "officer", "account": testUser}); err != nil {
		t.Fatal(err)
	}
	u.app.Preferences().SetString(prefLastCollector2, "李四")
	tab := openTab(t, u, addPerson(t, u, "张三", storetest.IDNumber("52010219900101123"), nil), store.KindDrugTest)

	actions := 0
	tap := func(o fyne.Tappable) { actions++; test.Tap(o) }
	tap(tab.add)
	f := lastForm(t, u)
	tap(radioChoice(t, f.in["result"].(*radioInput), "negative"))
	tap(f.saveButton)

	if actions > 3 {
		t.Errorf("a routine test took %d actions, want at most 3", actions)
	}
	if len(tab.recs) != 1 {
		t.Fatalf("test not saved: %d records, dialogs %q", len(tab.recs), overlayText(u))
	}
	want := map[string]string{"date": u.st.Today().Format("2006-01-02"), "sample": "urine", "method": "onsite",
		"plan": "planned", "result": "negative", "collector1": "王芳", "collector2": "李四"}
	for k, v := range want {
		if got := tab.recs[0].Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
}

func TestNewTestProposesThePersonsUsualSampleAndRemembersTheSecondCollector(t *testing.T) {
	u := signedInUI(t, LangZH)
	person := addPerson(t, u, "张三", storetest.IDNumber("52010219900101123"), nil)
	for _, d := range []string{"2026-09-01", "2026-10-01"} {
		if _, err := u.st.Put(context.Background(), store.KindDrugTest, "", map[string]string{"person": person, "date": d,
			"sample": "hair", "method": "lab", "result": "negative"}); err != nil {
			t.Fatal(err)
		}
	}
	tab := openTab(t, u, person, store.KindDrugTest)
	tab.onAdd()
	f := lastForm(t, u)
	if f.in["sample"].value() != "hair" || f.in["method"].value() != "lab" || f.in["collector1"].value() != testUser {
		t.Errorf("defaults: sample %q method %q collector1 %q", f.in["sample"].value(), f.in["method"].value(), f.in["collector1"].value())
	}
	typeInto(t, f, "collector2", "赵六")
	choose(t, f, "result", "negative")
	test.Tap(f.saveButton)
	tab.onAdd()
	if got := lastForm(t, u).in["collector2"].value(); got != "赵六" {
		t.Errorf("second collector not remembered: %q", got)
	}
}

func TestNewVisitIsTodayByMeAtHome(t *testing.T) {
	u := signedInUI(t, LangZH)
	tab := openTab(t, u, addPerson(t, u, "张三", storetest.IDNumber("52010219900101123"), nil), store.KindVisit)
	tab.onAdd()
	f := lastForm(t, u)
	test.Tap(f.saveButton)
	if len(tab.recs) != 1 {
		t.Fatalf("visit not saved with defaults alone: dialogs %q", overlayText(u))
	}
	r := tab.recs[0]
	if r.Get("date") != u.st.Today().Format("2006-01-02") || r.Get("visitor") != testUser || r.Get("mode") != "home" || r.Get("visitor_kind") != "staff" {
		t.Errorf("visit defaults: %v", r.Fields)
	}
}
