package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rehabdesk/internal/xlsxread"
	"rehabdesk/store"
	"rehabdesk/store/report"
	"rehabdesk/sync/client"
	"rehabdesk/sync/server"
)

// submitFrom makes a township device with n persons, enrolls it, submits
// its report of the current month and syncs.
func submitFrom(t *testing.T, srv *server.Server, url, code string, n int) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Create(ctx, filepath.Join(t.TempDir(), code+".db"), code, "officer", "secret-pass", store.Options{KDF: fastKDF})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for i := range n {
		if _, err := st.Put(ctx, store.KindPerson, "", map[string]string{"name": "张三",
			"id_number": withCheck("5201021990010" + string(rune('1'+i)) + "123")}); err != nil {
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
	month := report.Month{Year: now.Year(), Month: now.Month()}
	m, err := report.Generate(ctx, st, month)
	if err != nil {
		t.Fatal(err)
	}
	if err := report.Submit(ctx, st, m, now); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Sync(ctx, st, nil, client.Options{}); err != nil {
		t.Fatal(err)
	}
}

// Three townships of 南明区: two submit (2 and 3 persons), 水口寺街道 is
// served but has not submitted.
func TestCountyReport(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "county.db")
	srv, err := server.Open(ctx, dbPath, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"520102016", "520102017", "520102018"} {
		if err := srv.AddTownship(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	ts := httptest.NewServer(srv.Handler())
	submitFrom(t, srv, ts.URL, "520102016", 2)
	submitFrom(t, srv, ts.URL, "520102017", 3)
	ts.Close()
	srv.Close()

	out := filepath.Join(t.TempDir(), "county.xlsx")
	month := time.Now().Format("2006-01")
	var stdout, stderr bytes.Buffer
	e := &env{stdout: &stdout, stderr: &stderr, log: nil}
	if code := run(ctx, e, []string{"report", "--db", dbPath, "--month", month, "--out", out}); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "2 个乡镇已报送，1 个未报送") {
		t.Errorf("stdout %q", stdout.String())
	}
	// Read back by openpyxl, the strict reader the county's analysts use.
	sheets := xlsxread.MustRead(t, out)
	rows := sheets[0].Rows
	if rows[0][0] != "南明区社区戒毒社区康复工作月报汇总表" || rows[7][0] != "合计" || rows[7][1] != "5" {
		t.Errorf("title %q, totals %q", rows[0][0], rows[7])
	}
	if rows[6][0] != "水口寺街道" || (len(rows[6]) > 1 && rows[6][1] != "") {
		t.Errorf("missing township row %q", rows[6])
	}
	if !strings.Contains(rows[10][0], "水口寺街道") {
		t.Errorf("missing list %q", rows[10])
	}
	year := sheets[1].Rows
	if sheets[1].Name != "年度目标" {
		t.Fatalf("second sheet %q", sheets[1].Name)
	}
	// The townships' persons have no first-found date: none counts towards
	// detection, all 5 are listed as left out, and there is no base year.
	if total := year[7]; total[0] != "合计" || total[2] != "0" || total[9] != "无上年基数" || total[15] != "5" {
		t.Errorf("yearly targets total %q", total)
	}
}
