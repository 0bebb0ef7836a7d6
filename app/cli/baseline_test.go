package cli

import (
	"strings"
	"testing"
	"time"
)

// The first import proposes the adoption baseline (today without a
// terminal) and says so; later imports leave it; --baseline changes it.
func TestFirstImportSetsTheBaselineAndAlertsCanChangeIt(t *testing.T) {
	db := initDB(t)
	today := time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
	out, _, code := runEnv(t, officerEnv(), nil, "import", "--db", db, messyLedger)
	if code != 0 || !strings.Contains(out, "开始使用日期："+today) {
		t.Fatalf("first import (%d) did not set the baseline to %s:\n%s", code, today, out)
	}
	out, _, _ = runEnv(t, officerEnv(), nil, "import", "--db", db, messyLedger)
	if strings.Contains(out, "开始使用日期") {
		t.Fatalf("second import proposed the baseline again:\n%s", out)
	}
	out, _, code = runEnv(t, officerEnv("REHABDESK_LANG", "en"), nil, "alerts", "--db", db, "--baseline", "2026-11-30")
	if code != 0 || !strings.Contains(out, "Start of use (开始使用日期): 2026-11-30") {
		t.Fatalf("alerts --baseline (%d):\n%s", code, out)
	}
	if _, errs, code := runEnv(t, officerEnv(), nil, "alerts", "--db", db, "--baseline", "someday"); code != 2 || errs == "" {
		t.Fatalf("a bad baseline: exit %d %q", code, errs)
	}
}

// help speaks the language of the other messages.
func TestHelpFollowsTheLanguage(t *testing.T) {
	zh, _, _ := runEnv(t, map[string]string{"LANG": "C.UTF-8"}, nil, "help")
	en, _, _ := runEnv(t, map[string]string{"REHABDESK_LANG": "en"}, nil, "help")
	if !strings.Contains(zh, "不带参数时打开桌面程序") || !strings.Contains(zh, "专干名册") || strings.Contains(zh, "Without arguments") {
		t.Errorf("help under LANG=C.UTF-8 (Chinese by default):\n%s", zh)
	}
	if !strings.Contains(en, "Without arguments it opens the desktop app") || !strings.Contains(en, "the staff roster") {
		t.Errorf("help in English:\n%s", en)
	}
}
