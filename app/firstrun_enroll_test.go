package app

import (
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"rehabdesk/sync/client"
)

func fillFirstRun(t *testing.T, f *firstRun) {
	t.Helper()
	f.county.SetSelectedIndex(indexOf(t, f.counties, "520102"))
	f.township.SetSelectedIndex(indexOf(t, f.townships, testTownship))
	test.Type(f.user, "zhangli")
	test.Type(f.password, testPassword)
	test.Type(f.password2, testPassword)
}

// The first run can enrol with the county server at once; a bad code still
// leaves a working database and says, in words, that enrolment can wait.
func TestFirstRunEnrolsWithTheCountyServer(t *testing.T) {
	srv, url := newCountyServer(t)
	u := newTestUI(t, filepath.Join(t.TempDir(), "new.db"), LangZH)
	fillFirstRun(t, u.firstRun)
	test.Type(u.firstRun.server, url)
	test.Type(u.firstRun.code, enrollCode(t, srv))
	test.Tap(u.firstRun.submit)
	if u.shell == nil {
		t.Fatalf("not in the main window; dialogs: %q", overlayText(u))
	}
	if in, err := client.Status(u.ctx, u.st); err != nil || !in.Enrolled || in.Server != url {
		t.Fatalf("not enrolled after the first run: %+v %v", in, err)
	}

	v := newTestUI(t, filepath.Join(t.TempDir(), "other.db"), LangZH)
	fillFirstRun(t, v.firstRun)
	test.Type(v.firstRun.server, url)
	test.Type(v.firstRun.code, "WRONG-CODE-0000")
	test.Tap(v.firstRun.submit)
	if v.shell == nil || !strings.Contains(overlayText(v), "设置") {
		t.Fatalf("a bad code should leave the app usable and point to Settings; dialogs: %q", overlayText(v))
	}
}
