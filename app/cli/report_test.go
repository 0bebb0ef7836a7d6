package cli

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rehabdesk/internal/xlsxread"
	"rehabdesk/store"
	"rehabdesk/store/report"
)

func TestReportWorkbookAndJSON(t *testing.T) {
	db := issue5DB(t)
	out := filepath.Join(t.TempDir(), "yuebao.xlsx")
	stdout, errs, code := runCLI(t, "zh", "report", "--db", db, "--month", "2026-11", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(stdout, "新华路街道 2026-11") || !strings.Contains(stdout, "月末在册 2 名") {
		t.Errorf("summary %q", stdout)
	}
	sheets := xlsxread.MustRead(t, out)
	if v := sheets[0].Cell(1, 1); v != "新华路街道社区戒毒社区康复工作月报表" {
		t.Errorf("title %q", v)
	}
	stdout, errs, code = runCLI(t, "en", "report", "--db", db, "--month", "2026-11", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var m report.Monthly
	if err := json.Unmarshal([]byte(stdout), &m); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	// 李四's report-in fell due on Nov 16 and was missed; 张三's refusals
	// of Aug-Oct, all typed in on Nov 20, count in their own months.
	if c := m.Total.Counts; c["persons"] != 2 || c["detox_active"] != 1 || c["rehab_pending"] != 1 || c["report_due"] != 1 ||
		c["report_due_met"] != 0 || c["tests_refused"] != 0 {
		t.Errorf("November %v", c)
	}
	stdout, _, _ = runCLI(t, "en", "report", "--db", db, "--month", "2026-10", "--json")
	var oct report.Monthly
	if err := json.Unmarshal([]byte(stdout), &oct); err != nil || oct.Total.Counts["persons"] != 1 || oct.Total.Counts["tests_refused"] != 1 {
		t.Errorf("October %v %v", oct.Total.Counts, err)
	}
}

// The month running cannot be submitted: a clear, translated refusal, and
// nothing stored.
func TestReportSubmitThisMonthRefused(t *testing.T) {
	db := issue5DB(t)
	month := time.Now().Format("2006-01")
	stdout, errs, code := runCLI(t, "zh", "report", "--db", db, "--month", month, "--submit")
	if code == 0 || !strings.Contains(errs, "尚未结束，不能报送") {
		t.Fatalf("exit %d, stdout %q stderr %q", code, stdout, errs)
	}
	stdout, _, code = runCLI(t, "zh", "report", "--db", db, "--month", month)
	if code != 0 || !strings.Contains(stdout, "【草稿】本月尚未结束") {
		t.Errorf("this month's draft: %q", stdout)
	}
}

func TestReportSubmitOffline(t *testing.T) {
	db := issue5DB(t)
	stdout, errs, code := runCLI(t, "en", "report", "--db", db, "--month", "2026-11", "--submit")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(stdout, "revision 1, is saved and will be submitted at the next sync") {
		t.Errorf("stdout %q stderr %q", stdout, errs)
	}
	s, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Unlock(context.Background(), "officer", "secret-pass"); err != nil {
		t.Fatal(err)
	}
	settings, err := s.List(context.Background(), store.KindSetting, store.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range settings {
		if r.Get("key") == "report.2026-11" {
			sub, err := report.DecodeSubmission(r.Get("value"))
			found = err == nil && sub.Total.Counts["persons"] == 2
		}
	}
	if !found {
		t.Errorf("no submission in %d settings", len(settings))
	}
}

func TestReportBadMonth(t *testing.T) {
	if _, _, code := runCLI(t, "en", "report", "--db", issue5DB(t), "--month", "2026-13"); code != 2 {
		t.Fatalf("exit %d", code)
	}
}
