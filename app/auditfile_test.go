package app

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
)

func TestAuditDetailsAreShownInChinese(t *testing.T) {
	useLanguage(LangZH)
	english := regexp.MustCompile(`rows|bytes|password|pushed|monthly|ledger|restored|refused|add |disable|failed|paper|agreement`)
	for _, d := range []string{"bad_password", "unknown_user", "monthly 2026-11", "123 bytes", "add zhang officer",
		"password zhang", "reset password zhang", "disable zhang", "refused remote change v1: locks out",
		"ledger 台账.xlsx, 200 of 200 rows: 3 new, 4 updated, 0 rejected", "ledger csv, 12 persons",
		"restored 2026-11-01 from device abc", "pushed=1 pulled=2 rejected=0 refused_lockout=1 failed", "add drug_test",
		"paper agreement"} {
		got := auditDetail(store.AuditEntry{Detail: d})
		if got == d || english.MatchString(got) {
			t.Errorf("%q shown as %q", d, got)
		}
	}
	for d, want := range map[string]string{
		store.AuditDetail(store.AuditMonthly, "2026-11"):                                "2026-11 月报",
		store.AuditDetail(store.AuditRecordAdd, string(store.KindVolunteer)):            "新增志愿者",
		store.AuditDetail(store.AuditAddAccount, "zhang", "officer"):                    "新增账号 zhang（" + T("role.officer") + "）",
		store.AuditDetail(store.AuditLedgerImport, "台账.xlsx", "9", "10", "1", "2", "3"): "台账 台账.xlsx：已处理 9/10 行，新增 1，更新 2，拒绝 3",
		store.AuditDetail(store.AuditSync, "1", "2", "0", "0", ""):                      T("audit.detail.sync", "1", "2", "0"),
		store.AuditDetail(store.AuditAssignVillage, testTownship+"001", "4"):            "指定 纪念塔社区 的专干，4 人改派",
		store.AuditDetail(store.AuditDuty, "agreement"):                                 "签订协议",
		store.AuditDetail(store.AuditPaper, "agreement"):                                T("audit.detail.paper", T("person.paper.agreement")),
		store.AuditDetail("from_a_newer_release", "x"):                                  "from_a_newer_release x",
	} {
		if got := auditDetail(store.AuditEntry{Detail: d}); got != want {
			t.Errorf("%s shown as %q, want %q", d, got, want)
		}
	}
}

// TestEverySignInFailureReasonIsTranslated: each reason the store writes
// for a refused sign-in has its words in Chinese and in English; a reason
// added without them fails here.
func TestEverySignInFailureReasonIsTranslated(t *testing.T) {
	defer useLanguage(LangZH)
	han := regexp.MustCompile(`\p{Han}`)
	for _, lang := range []string{LangZH, LangEN} {
		useLanguage(lang)
		for _, r := range store.SignInFailureReasons {
			key := "audit.reason." + r
			got := auditDetail(store.AuditEntry{Action: store.ActionSignInFailed, Detail: r})
			if T(key) == key || got != T(key) || han.MatchString(got) != (lang == LangZH) {
				t.Errorf("%s: sign-in failure %q shown as %q", lang, r, got)
			}
		}
	}
}

// TestSignInFailuresAppearWordedInTheAuditView: a wrong password and an
// unknown user typed at the sign-in form are listed in the audit view in
// words, never as their codes.
func TestSignInFailuresAppearWordedInTheAuditView(t *testing.T) {
	for _, lang := range []string{LangZH, LangEN} {
		u := signedInUI(t, lang)
		u.lockNow()
		signInWith(t, u, testUser, "not the password")
		dismissDialogs(u)
		signInWith(t, u, "nobody", "not the password")
		dismissDialogs(u)
		signInWith(t, u, testUser, testPassword)
		a := newAuditView(u)
		a.refresh()
		got := tableText(a.table)
		for _, r := range []string{store.SignInBadPassword, store.SignInUnknownUser} {
			if !strings.Contains(got, T("audit.reason."+r)) || strings.Contains(got, r) {
				t.Errorf("%s: the audit view does not word %s:\n%s", lang, r, got)
			}
		}
	}
}

func TestRecordChangesAppearTranslatedInTheAuditView(t *testing.T) {
	u := signedInUI(t, LangZH)
	tab := openTab(t, u, addPerson(t, u, "张三", storetest.IDNumber("52010219900101123"), nil), store.KindDrugTest)
	tab.onAdd()
	f := lastForm(t, u)
	choose(t, f, "result", "negative")
	test.Tap(f.saveButton)
	a := newAuditView(u)
	a.refresh()
	got := tableText(a.table)
	if !strings.Contains(got, "新增"+T("kind.drug_test")) || !strings.Contains(got, T("audit.action.record")) {
		t.Errorf("the new test is not in the audit view:\n%s", got)
	}
}

func TestFileDialogStartsInTheLastFolderWithChinesePlaces(t *testing.T) {
	u := signedInUI(t, LangZH)
	dir := filepath.Join(t.TempDir(), "上次的文件夹")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	u.rememberFolder(filepath.Join(dir, "台账.xlsx"))
	u.pickOpenPath([]string{".xlsx"}, func(string) {})
	got := overlayText(u)
	if !strings.Contains(got, "主目录") || !strings.Contains(got, "计算机") || strings.Contains(got, "Home\n") || strings.Contains(got, "Computer\n") {
		t.Errorf("file dialog places not in Chinese:\n%s", got)
	}
	if !strings.Contains(got, "上次的文件夹") {
		t.Errorf("file dialog does not start in the last folder:\n%s", got)
	}
}

func TestAssigningFromSearchAsksFirst(t *testing.T) {
	u := signedInUI(t, LangZH)
	pid := addPerson(t, u, "张三", storetest.IDNumber("52010219900101123"), nil)
	vid, err := u.st.Put(u.ctx, store.KindVolunteer, "", map[string]string{"name": "李老师", "source": "elder_teacher"})
	if err != nil {
		t.Fatal(err)
	}
	vol, err := u.st.Get(u.ctx, vid)
	if err != nil {
		t.Fatal(err)
	}
	v := u.shell.volunteers
	u.shell.show(navVolunteers)
	v.onAssign(vol)
	var list *widget.List
	walkObjects(u.win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.List); ok {
			list = l
		}
	})
	list.Select(0)
	if as, err := v.assignments(vid); err != nil || len(as) != 0 {
		t.Fatal("assigned on the click, without asking", err)
	}
	if !strings.Contains(overlayText(u), "张三") || !strings.Contains(overlayText(u), "李老师") {
		t.Fatalf("no confirmation naming both: %q", overlayText(u))
	}
	for _, o := range test.LaidOutObjects(u.win.Canvas().Overlays().Top()) {
		if b, ok := o.(*widget.Button); ok && b.Text == T("volunteers.assign") {
			test.Tap(b)
			break
		}
	}
	if as, err := v.assignments(vid); err != nil || len(as) != 1 || as[0].PersonID != pid {
		t.Fatalf("not assigned after confirming: %d (error %v)", len(as), err)
	}
}

func TestFileDialogTakesATypedPath(t *testing.T) {
	u := signedInUI(t, LangZH)
	dir := t.TempDir()
	file := filepath.Join(dir, "台账.xlsx")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	chosen := ""
	u.pickOpenPath([]string{".xlsx"}, func(p string) { chosen = p })
	var entry *widget.Entry
	walkObjects(u.win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if e, ok := o.(*widget.Entry); ok && e.PlaceHolder == T("app.path_hint") {
			entry = e
		}
	})
	if entry == nil {
		t.Fatalf("no path entry in the file dialog:\n%s", overlayText(u))
	}
	test.Type(entry, file)
	entry.OnSubmitted(entry.Text)
	if chosen != file {
		t.Errorf("typed path gave %q, want %q", chosen, file)
	}
	if u.win.Canvas().Overlays().Top() != nil {
		t.Errorf("file dialog still open after choosing a typed path: %q", overlayText(u))
	}
}
