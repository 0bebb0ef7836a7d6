package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"rehabdesk/internal/storetest"
	"rehabdesk/internal/xlsxread"
	"rehabdesk/store"
	"rehabdesk/store/report"
	"rehabdesk/sync/client"
	"rehabdesk/sync/server"
)

// submitFrom makes a township device with n persons, enrolls it, submits
// its report of last month and syncs; with correct, it then adds a person
// found last month and submits the correction.
func submitFrom(t *testing.T, srv *server.Server, url, code string, n int, correct bool) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Create(ctx, filepath.Join(t.TempDir(), code+".db"), code, "officer", "secret-pass", store.Options{KDF: storetest.FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for i := range n {
		if _, err := st.Put(ctx, store.KindPerson, "", map[string]string{"name": "张三",
			"id_number": withCheck("5201021990010" + string(rune('1'+i)) + "123"), "first_found": "2025-01-01"}); err != nil {
			t.Fatal(err)
		}
	}
	enroll, err := srv.NewEnrollCode(ctx, code, false, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Enroll(ctx, st, url, enroll, "", client.Options{}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	month := report.Month{Year: now.Year(), Month: now.Month()}.Prev()
	submitMonth(t, st, month, 1)
	if correct {
		if _, err := st.Put(ctx, store.KindPerson, "", map[string]string{"name": "李四",
			"id_number": withCheck("52010219900201123"), "first_found": month.Last().String()}); err != nil {
			t.Fatal(err)
		}
		submitMonth(t, st, month, 2)
	}
	if _, err := client.Sync(ctx, st, nil, client.Options{}); err != nil {
		t.Fatal(err)
	}
}

func submitMonth(t *testing.T, st *store.Store, month report.Month, wantRev int) {
	t.Helper()
	m, err := report.Generate(context.Background(), st, month)
	if err != nil {
		t.Fatal(err)
	}
	if rev, err := report.Submit(context.Background(), st, m, time.Now()); err != nil || rev != wantRev {
		t.Fatalf("submit: revision %d, want %d: %v", rev, wantRev, err)
	}
}

// Three townships of 南明区: two submit (2 and 3 persons), 水口寺街道 is
// served but has not submitted.
func TestCountyReport(t *testing.T) {
	ctx := context.Background()
	dbPath, keyPath := filepath.Join(t.TempDir(), "county.db"), filepath.Join(t.TempDir(), "county.key")
	srv, err := server.Open(ctx, dbPath, server.Options{KeyFile: keyPath})
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"520102016", "520102017", "520102018"} {
		if err := srv.AddTownship(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	ts := httptest.NewServer(srv.Handler())
	submitFrom(t, srv, ts.URL, "520102016", 2, false)
	submitFrom(t, srv, ts.URL, "520102017", 3, true)
	ts.Close()
	srv.Close()

	now := time.Now()
	month := report.Month{Year: now.Year(), Month: now.Month()}.Prev()
	var stdout, stderr bytes.Buffer
	e := &env{stdout: &stdout, stderr: &stderr, log: nil}
	year := strconv.Itoa(month.Year)
	if code := program.Run(ctx, e, []string{"target", "--db", dbPath, "--key", keyPath, "--year", year, "--set", "placement_rate=90", "--police", "found=17"}); code != 0 {
		t.Fatalf("target: exit %d: %s", code, stderr.String())
	}
	out := filepath.Join(t.TempDir(), "county.xlsx")
	if code := program.Run(ctx, e, []string{"report", "--db", dbPath, "--key", keyPath, "--month", month.String(), "--out", out}); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "2 个乡镇已报送，1 个未报送") || !strings.Contains(stdout.String(), "新华路街道 已报送 第1版") ||
		!strings.Contains(stdout.String(), "西湖路街道 更正 第2版") {
		t.Errorf("stdout %q", stdout.String())
	}
	// Read back by openpyxl, the strict reader the county's analysts use.
	sheets := xlsxread.MustRead(t, out)
	s := sheets[0]
	if s.Cell(1, 1) != "南明区社区戒毒社区康复工作月报汇总表" {
		t.Errorf("title %q", s.Cell(1, 1))
	}
	_, total := s.Find("合计")
	status, _ := s.Find("报送状态")
	persons, _ := s.Find("月末在册人员")
	// Columns: group, figure, 520102016, 520102017 (corrected: 3 + 1), 520102018, total.
	if s.Cell(persons, total) != "6" || s.Cell(persons, 3) != "2" || s.Cell(persons, 4) != "4" || s.Cell(persons, 5) != "" {
		t.Errorf("persons row %q", s.Rows[persons-1])
	}
	if !strings.HasPrefix(s.Cell(status, 4), "更正") || s.Cell(status, 5) == "" || strings.HasPrefix(s.Cell(status, 5), "已报送") {
		t.Errorf("status row %q", s.Rows[status-1])
	}
	if row, _ := s.Find("西湖路街道 报送了更正（第2版），变化的指标：月末在册人员。"); row == 0 {
		t.Errorf("no correction note in %q", s.Rows[len(s.Rows)-3:])
	}
	y := sheets[1]
	if row, _ := y.Find("就业安置率（%）"); row == 0 || y.Cell(row, 3) != "90" {
		t.Errorf("placement target %q", y.Rows)
	}
	if row, _ := y.Find("查处吸毒人员（公安数据）"); row == 0 || y.Cell(row, 2) != "17" || y.Cell(row, 4) != "" {
		t.Errorf("police figure as entered, no target so no verdict: %q", y.Rows)
	}
}

// TestOneBadSubmissionDoesNotStopTheCountyWorkbook: any device of a
// township can write its report record, so an unreadable one must not keep
// the county from its workbook; it is marked, and the others are counted.
func TestOneBadSubmissionDoesNotStopTheCountyWorkbook(t *testing.T) {
	xlsxread.Need(t)
	srv, month := countyFixture(t)
	c, err := countySummary(context.Background(), srv, "", month.String(), time.Now())
	if err != nil {
		t.Fatalf("one township's bad submission stopped the county summary: %v", err)
	}
	out := filepath.Join(t.TempDir(), "county.xlsx")
	if err := writeCountyFile(out, c, "zh"); err != nil {
		t.Fatal(err)
	}
	sheet := xlsxread.MustRead(t, out)[0]
	if r, _ := sheet.Find("报送内容无法读取，未计入合计"); r == 0 {
		t.Error("the county workbook does not say which submission was unreadable")
	}
	if r, _ := sheet.Find("已报送 第1版"); r == 0 {
		t.Error("the readable township's submission is not in the county workbook")
	}
}
