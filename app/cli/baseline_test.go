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
