package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
)

// issue5DB creates a township database with one person whose report-in is
// overdue and three refused tests, and returns its path.
func issue5DB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "r.db")
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC) }
	s, err := store.Create(ctx, path, "520102016", "officer", "secret-pass",
		store.Options{KDF: storetest.FastKDF, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	put := func(k store.Kind, f map[string]string) string {
		t.Helper()
		id, err := s.Put(ctx, k, "", f)
		if err != nil {
			t.Fatalf("put %s: %v", k, err)
		}
		return id
	}
	p := put(store.KindPerson, map[string]string{"name": "张三", "id_number": "52010219900101123X"})
	put(store.KindMeasure, map[string]string{"person": p, "type": "detox", "received_date": "2026-07-01", "start_date": "2026-07-10", "status": "active"})
	for _, d := range []string{"2026-08-02", "2026-09-05", "2026-10-07"} {
		put(store.KindDrugTest, map[string]string{"person": p, "date": d, "sample": "urine", "result": "refused"})
	}
	q := put(store.KindPerson, map[string]string{"name": "李四", "id_number": "520102198505052348"})
	put(store.KindMeasure, map[string]string{"person": q, "type": "rehab", "received_date": "2026-11-01", "status": "pending"})
	return path
}

func runCLI(t *testing.T, lang string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(""), Getenv: func(k string) string {
		return map[string]string{"REHABDESK_PASSWORD": "secret-pass", "REHABDESK_LANG": lang}[k]
	}}
	code := Main(env, args)
	return out.String(), errb.String(), code
}

func TestAlertsCommand(t *testing.T) {
	db := issue5DB(t)
	out, errs, code := runCLI(t, "zh", "alerts", "--db", db, "--date", "2026-11-20")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"== 须报告公安机关 (2)", "张三 5201**********123X", "3 次拒绝或逃避检测：2026年8月2日、2026年9月5日、2026年10月7日",
		"李四"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	// Nov 1 + 15 days = Nov 16; on Nov 20 the report-in is overdue.
	if !strings.Contains(out, "应于 2026年11月16日 前报到，已逾期 4 天未报到") {
		t.Errorf("report-in overdue missing:\n%s", out)
	}
}

func TestAlertsJSON(t *testing.T) {
	db := issue5DB(t)
	out, errs, code := runCLI(t, "en", "alerts", "--db", db, "--date", "2026-11-20", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got []map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	police := 0
	for _, a := range got {
		if a["severity"] == "police" {
			police++
			if a["subject"] == "" || a["explanation"] == "" || a["due"] == nil {
				t.Errorf("incomplete %v", a)
			}
		}
	}
	if police != 2 {
		t.Errorf("%d police alerts in %s", police, out)
	}
}

func TestAlertsBadDate(t *testing.T) {
	_, _, code := runCLI(t, "en", "alerts", "--db", issue5DB(t), "--date", "tomorrow")
	if code != 2 {
		t.Fatalf("exit %d", code)
	}
}

// A volunteer sees only the visits due for their own persons: their records
// lack test results and violations, and the other persons are not theirs.
func TestAlertsForVolunteer(t *testing.T) {
	db := issue5DB(t)
	ctx := context.Background()
	s, err := store.Open(ctx, db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Unlock(ctx, "officer", "secret-pass"); err != nil {
		t.Fatal(err)
	}
	persons, err := s.List(ctx, store.KindPerson, store.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	vol, err := s.Put(ctx, store.KindVolunteer, "", map[string]string{"name": "王芳", "source": "elder_party"})
	if err == nil {
		_, err = s.Put(ctx, store.KindAssignment, "", map[string]string{"person": persons[0].ID, "role": "volunteer", "member": vol})
	}
	if err == nil {
		err = s.AddAccount(ctx, "vol1", "volunteer-pass", "volunteer", vol, storetest.FastKDF)
	}
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(""), Getenv: func(k string) string {
		return map[string]string{"REHABDESK_PASSWORD": "volunteer-pass", "REHABDESK_LANG": "zh"}[k]
	}}
	if code := Main(env, []string{"alerts", "--db", db, "--user", "vol1", "--date", "2026-11-20"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if got := out.String(); !strings.Contains(got, "走访") || strings.Contains(got, "拒绝") || strings.Contains(got, "李四") {
		t.Errorf("volunteer alerts:\n%s", got)
	}
	out.Reset()
	if code := Main(env, []string{"report", "--db", db, "--user", "vol1", "--month", "2026-11"}); code != 1 {
		t.Errorf("report for a volunteer: exit %d, %s", code, out.String())
	}
}

func TestAlertsThresholds(t *testing.T) {
	db := issue5DB(t)
	// With refused_tests at 4, three refusals only warn.
	out, errs, code := runCLI(t, "en", "alerts", "--db", db, "--set", "refused_tests=4")
	if code != 0 || !strings.Contains(out, "refused_tests") || !strings.Contains(out, "(default 3)") {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	out, _, _ = runCLI(t, "en", "alerts", "--db", db, "--date", "2026-11-20")
	if !strings.Contains(out, "3 refused or evaded tests (4 make a serious violation)") {
		t.Errorf("after the change:\n%s", out)
	}
	if _, _, code := runCLI(t, "en", "alerts", "--db", db, "--set", "nonsense=1"); code != 2 {
		t.Errorf("unknown threshold: exit %d", code)
	}
}
