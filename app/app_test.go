package app

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"rehabdesk/assets"
	"rehabdesk/store"
)

func TestFirstRunCreatesTheDatabaseAndOpensHome(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "new.db")
	u := newTestUI(t, path, LangZH)
	f := u.firstRun
	if f == nil {
		t.Fatal("a missing database file must open the first-run wizard")
	}
	county := indexOf(t, f.counties, "520102")
	f.county.SetSelectedIndex(county)
	f.township.SetSelectedIndex(indexOf(t, f.townships, testTownship))
	test.Type(f.user, "zhangli")
	test.Type(f.password, testPassword)
	test.Type(f.password2, testPassword)
	test.Tap(f.submit)
	if u.shell == nil {
		t.Fatalf("not in the main window; dialogs: %q", overlayText(u))
	}
	if u.st.Township() != testTownship || u.st.Session().User != "zhangli" {
		t.Fatalf("created %s for %q", u.st.Township(), u.st.Session().User)
	}
	if got := texts(u.win.Content()); !strings.Contains(got, "工作台") || !strings.Contains(got, "在册 0 人") {
		t.Errorf("home does not show the navigation and figures:\n%s", got)
	}
}

func TestFirstRunRefusesDifferentPasswords(t *testing.T) {
	u := newTestUI(t, filepath.Join(t.TempDir(), "x.db"), LangZH)
	f := u.firstRun
	f.county.SetSelectedIndex(indexOf(t, f.counties, "520102"))
	f.township.SetSelectedIndex(0)
	test.Type(f.user, "zhangli")
	test.Type(f.password, testPassword)
	test.Type(f.password2, "something else")
	test.Tap(f.submit)
	if u.shell != nil || !strings.Contains(overlayText(u), "两次输入的密码不一致") {
		t.Fatalf("mismatched passwords accepted; dialogs: %q", overlayText(u))
	}
}

func indexOf(t *testing.T, ds []assets.Division, code string) int {
	t.Helper()
	for i, d := range ds {
		if d.Code == code {
			return i
		}
	}
	t.Fatalf("division %s not offered", code)
	return -1
}

func TestSignInWithWrongPasswordShowsTranslatedError(t *testing.T) {
	u := newTestUI(t, newDB(t), LangZH)
	signInWith(t, u, testUser, "wrong password")
	if u.shell != nil {
		t.Fatal("signed in with a wrong password")
	}
	got := overlayText(u)
	if !strings.Contains(got, "用户名或密码错误") || strings.Contains(got, "wrong user name") {
		t.Fatalf("dialog should say the password is wrong in Chinese, got %q", got)
	}
}

func TestSignInWrongPasswordInEnglish(t *testing.T) {
	u := newTestUI(t, newDB(t), LangEN)
	signInWith(t, u, testUser, "wrong password")
	if got := overlayText(u); !strings.Contains(got, "Wrong user name or password") {
		t.Fatalf("English dialog expected, got %q", got)
	}
}

func TestRepeatedWrongPasswordsSlowFurtherTries(t *testing.T) {
	u := newTestUI(t, newDB(t), LangZH)
	for range 5 {
		dismissDialogs(u)
		signInWith(t, u, testUser, "wrong password")
	}
	if got := overlayText(u); !strings.Contains(got, "密码错误次数过多，请等待") || !strings.Contains(got, "秒后再试") {
		t.Fatalf("the wait is not explained, got %q", got)
	}
}

func TestIdleLockReturnsToSignIn(t *testing.T) {
	u := signedInUI(t, LangZH)
	now := time.Now()
	u.idle.now = func() time.Time { return now }
	u.idle.Touch()
	now = now.Add(9 * time.Minute)
	if u.idle.due() {
		t.Fatal("locked before 10 idle minutes")
	}
	now = now.Add(2 * time.Minute)
	if !u.idle.due() {
		t.Fatal("not locked after 11 idle minutes")
	}
	u.lockNow()
	if u.st.Session().User != "" || u.signIn == nil {
		t.Fatal("lock must forget the session and show the sign-in form")
	}
	if _, err := u.st.List(u.ctx, store.KindPerson, store.ListFilter{}); err == nil {
		t.Fatal("records readable after the lock")
	}
	signInWith(t, u, testUser, testPassword)
	if u.shell == nil {
		t.Fatal("cannot sign in again after the lock")
	}
}

func TestDatesInChineseAndEnglish(t *testing.T) {
	useLanguage(LangZH)
	if got := formatDate("2026-11-29"); got != "2026年11月29日" {
		t.Errorf("zh: %q", got)
	}
	useLanguage(LangEN)
	if got := formatDate("2026-11-29"); got != "29 Nov 2026" {
		t.Errorf("en: %q", got)
	}
	useLanguage(LangZH)
}

// Right after the first run the township has its 专干 signed in and no
// roster yet: home must not claim "专职人员 0 人" (issue 17).
func TestFirstRunShowsNoFalseStaffingAlert(t *testing.T) {
	u := newTestUI(t, filepath.Join(t.TempDir(), "new.db"), LangZH)
	f := u.firstRun
	f.county.SetSelectedIndex(indexOf(t, f.counties, "520102"))
	f.township.SetSelectedIndex(indexOf(t, f.townships, testTownship))
	test.Type(f.user, "zhangli")
	test.Type(f.password, testPassword)
	test.Type(f.password2, testPassword)
	test.Tap(f.submit)
	if u.shell == nil {
		t.Fatalf("not in the main window; dialogs: %q", overlayText(u))
	}
	u.shell.home.refresh()
	for _, a := range u.shell.home.tasks.all {
		if a.Rule == "staffing_shortfall" {
			t.Errorf("false alert after the first run: %s", a.Explain(currentLang))
		}
	}
	if got := texts(u.win.Content()); strings.Contains(got, "专职人员") {
		t.Errorf("home shows a staffing alert:\n%s", got)
	}
}
