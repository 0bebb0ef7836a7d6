package cli

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

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
	if !strings.Contains(stdout, "新华路街道 2026-11") || !strings.Contains(stdout, "登记人员 2 名") {
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
	// 张三's three refusals of Aug–Oct were all entered on Nov 20: they count
	// in November, as late entries.
	if c := m.Total.Counts; c["persons"] != 2 || c["detox_active"] != 1 || c["rehab_pending"] != 1 || c["tests_refused"] != 3 || c["late_events"] != 3 {
		t.Errorf("counts %v", c)
	}
	// Before anything was entered, October is empty.
	stdout, _, _ = runCLI(t, "en", "report", "--db", db, "--month", "2026-10", "--json")
	var oct report.Monthly
	if err := json.Unmarshal([]byte(stdout), &oct); err != nil || oct.Total.Counts["persons"] != 0 {
		t.Errorf("October %v %v", oct.Total.Counts, err)
	}
}

func TestReportSubmitOffline(t *testing.T) {
	db := issue5DB(t)
	stdout, errs, code := runCLI(t, "en", "report", "--db", db, "--month", "2026-11", "--submit")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(stdout, "will be submitted at the next sync") {
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
