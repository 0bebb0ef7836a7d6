package app

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"rehabdesk/store"
)

// TestEveryChangeOfficersMakeIsAudited makes each kind of change an
// officer makes in the GUI — a test and a visit from the person file, a
// test archived, a volunteer, an assignment made and ended, a batch — and
// finds each in the audit log as a code with arguments, shown in Chinese.
func TestEveryChangeOfficersMakeIsAudited(t *testing.T) {
	u := signedInUI(t, LangZH)
	persons := batchPersons(t, u, 2)
	for _, kind := range []store.Kind{store.KindDrugTest, store.KindVisit} {
		tab := openTab(t, u, persons[0], kind)
		tab.onAdd()
		f := lastForm(t, u)
		if kind == store.KindDrugTest {
			choose(t, f, "result", "negative")
		}
		test.Tap(f.saveButton)
		if kind == store.KindDrugTest {
			tab.select_(0)
			tab.onArchive()
			tapDialogButton(t, u, T("events.archive"))
		}
	}
	u.shell.show(navVolunteers)
	u.shell.volunteers.onAdd()
	f := lastForm(t, u)
	typeInto(t, f, "name", "李老师")
	choose(t, f, "source", "elder_teacher")
	test.Tap(f.saveButton)
	vols, err := u.st.List(u.ctx, store.KindVolunteer, store.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(vols) != 1 {
		t.Fatalf("volunteer not saved: %q", overlayText(u))
	}
	v := u.shell.volunteers
	v.assign(vols[0], persons[1])
	as, err := u.st.List(u.ctx, store.KindAssignment, store.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	v.unassign(as[0])
	tapDialogButton(t, u, T("volunteers.unassign"))
	dismissDialogs(u)
	u.shell.show(navBatch)
	kb := &keyboard{t: t, c: u.win.Canvas()}
	kb.rune('1')
	u.shell.batch.onSave()
	tapDialogButton(t, u, T("batch.save"))
	checkAudited(t, u, map[string]int{"record_add drug_test": 2, "record_archive drug_test": 1, "record_add visit": 1,
		"record_add volunteer": 1, "record_add assignment": 1, "record_edit assignment": 1})
}

// checkAudited counts the ActionRecord entries by code and kind, and checks
// that the audit view words each in Chinese.
func checkAudited(t *testing.T, u *UI, want map[string]int) {
	t.Helper()
	log, err := u.st.AuditLog(u.ctx, store.AuditFilter{Action: store.ActionRecord})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, e := range log {
		code, args, ok := store.ParseAuditDetail(e.Detail)
		if !ok {
			t.Errorf("entry not written as a code: %q", e.Detail)
		}
		got[code+" "+strings.Join(args, " ")]++
		if shown := auditDetail(e); !hasHan(shown) {
			t.Errorf("%q shown as %q", e.Detail, shown)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("audited changes:\n got %v\nwant %v", got, want)
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}
