package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"rehabdesk/internal/webguard"
	"rehabdesk/store"
	"rehabdesk/store/report"
	"rehabdesk/sync/client"
	"rehabdesk/sync/server"
)

// webFixture serves the county page of a server where one township
// submitted its report of last month and has a positive test not yet
// reported to the police, a second sent a submission that cannot be read,
// and a third is served but silent. It returns the page's address with the
// month.
func webFixture(t *testing.T) string {
	t.Helper()
	srv, month := countyFixture(t)
	// The page is looked at on the 10th, past last month's deadline (the 5th).
	now := time.Now()
	pageNow := time.Date(now.Year(), now.Month(), 10, 12, 0, 0, 0, time.Local)
	web := httptest.NewServer(guardedPage(srv, "zh", func() time.Time { return pageNow }))
	t.Cleanup(web.Close)
	return web.URL + "/?month=" + month.String()
}

// countyFixture is a county server whose township 520102016 submitted last
// month's report, 520102017 pushed an unreadable one, and 520102018 none.
func countyFixture(t *testing.T) (*server.Server, report.Month) {
	t.Helper()
	return countyFixtureWith(t, server.Options{})
}

// countyFixtureWith is countyFixture on a server opened with opt.
func countyFixtureWith(t *testing.T, opt server.Options) (*server.Server, report.Month) {
	t.Helper()
	ctx := context.Background()
	srv, err := server.Open(ctx, filepath.Join(t.TempDir(), "county.db"), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	for _, code := range []string{"520102016", "520102017", "520102018"} {
		if err := srv.AddTownship(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	sync := httptest.NewServer(srv.Handler())
	t.Cleanup(sync.Close)
	st, err := store.Create(ctx, filepath.Join(t.TempDir(), "t.db"), "520102016", "officer", "secret-pass", store.Options{KDF: fastKDF})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p, err := st.Put(ctx, store.KindPerson, "", map[string]string{"name": "张三", "id_number": withCheck("52010219900101123"), "first_found": "2025-12-01"})
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().Format("2006-01-02")
	for k, f := range map[store.Kind]map[string]string{
		store.KindMeasure:  {"person": p, "type": "detox", "report_in_date": "2026-01-05", "status": "active"},
		store.KindDrugTest: {"person": p, "date": today, "sample": "urine", "result": "positive"},
	} {
		if _, err := st.Put(ctx, k, "", f); err != nil {
			t.Fatal(err)
		}
	}
	month := report.Month{Year: time.Now().Year(), Month: time.Now().Month()}.Prev()
	m, err := report.Generate(ctx, st, month)
	if err == nil {
		_, err = report.Submit(ctx, st, m, time.Now())
	}
	if err != nil {
		t.Fatal(err)
	}
	code, err := srv.NewEnrollCode(ctx, "520102016", false, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Enroll(ctx, st, sync.URL, code, "", client.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Sync(ctx, st, nil, client.Options{}); err != nil {
		t.Fatal(err)
	}

	badSubmission(t, srv, sync.URL, "520102017", month)
	return srv, month
}

// badSubmission has a device of township push, as its report of month, a
// setting record that is no submission: a hostile or broken device can.
func badSubmission(t *testing.T, srv *server.Server, url, township string, month report.Month) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Create(ctx, filepath.Join(t.TempDir(), township+".db"), township, "officer", "secret-pass", store.Options{KDF: fastKDF})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Put(ctx, store.KindSetting, "", map[string]string{"key": report.SubmissionKey(month.String(), 1),
		"value": `{"v":1,"t":"520102016","c":[1,2,3]`}); err != nil {
		t.Fatal(err)
	}
	code, err := srv.NewEnrollCode(ctx, township, false, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Enroll(ctx, st, url, code, "", client.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Sync(ctx, st, nil, client.Options{}); err != nil {
		t.Fatal(err)
	}
}

// pageWants is what the fixture's page must show.
var pageWants = []string{"南明区社区戒毒社区康复工作情况", "新华路街道", "水口寺街道", "逾期未报", "已报送 第1版",
	"报送内容无法读取，未计入合计", "须报告公安机关的提醒 (1)", "张三 5201**********123X", "检测结果阳性"}

func TestCountyWebPage(t *testing.T) {
	url := webFixture(t)
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	page := string(body)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("status %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	for _, want := range append(pageWants, "<th>合计</th><th>1</th>") {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "<script") {
		t.Error("the page must work without JavaScript")
	}
	if res, err := http.Get(strings.Split(url, "?")[0] + "other"); err != nil || res.StatusCode != 404 {
		t.Errorf("other path: %v %v", res.StatusCode, err)
	}
}

func TestWebRefusesNonLoopback(t *testing.T) {
	if loopback("0.0.0.0:8090") || loopback("10.1.2.3:80") || !loopback("127.0.0.1:8090") || !loopback("[::1]:8090") {
		t.Fatal("loopback check wrong")
	}
}

// TestCountyWebPageInChromium renders the page in headless Chromium (the
// page has no script: TestCountyWebPage checks that). It is skipped where
// Chromium is not installed (Debian package chromium).
func TestCountyWebPageInChromium(t *testing.T) {
	bin := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Skip("no Chromium installed")
	}
	url := webFixture(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--user-data-dir="+t.TempDir(), "--dump-dom", url)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	dom := string(out)
	for _, want := range pageWants {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered page lacks %q", want)
		}
	}
	if !strings.Contains(dom, `<table id="totals">`) {
		t.Error("no totals table in the rendered page")
	}
}

// TestCountyWebPageIsGuardedInChromium loads the page in headless Chromium
// and reads what the browser received: the security headers, the inline
// style still applied under the page's policy, the township whose
// submission could not be read shown as such, and the page refused when a
// rebinding name (resolving to 127.0.0.1) asks for it.
func TestCountyWebPageIsGuardedInChromium(t *testing.T) {
	url := webFixture(t)
	port := strings.Split(strings.TrimPrefix(url, "http://127.0.0.1:"), "/")[0]
	c := startChromium(t, "--host-resolver-rules=MAP rebind.example 127.0.0.1")
	res := c.open(url)
	if res.Status != 200 {
		t.Fatalf("HTTP %d", res.Status)
	}
	for k, v := range webguard.Headers {
		if got := res.Headers[strings.ToLower(k)]; got != v {
			t.Errorf("%s: %q, want %q", k, got, v)
		}
	}
	if bg := c.eval(`getComputedStyle(document.querySelector("th")).backgroundColor`); bg != "rgb(238, 238, 238)" {
		t.Errorf("the page's own style is blocked: th background %q", bg)
	}
	text := c.eval(`[...document.querySelectorAll("#townships tr")].map(r => r.innerText).join("\n")`)
	if !regexp.MustCompile(`西湖路街道\s+520102017\s+1\s+\S+ \S+\s+报送内容无法读取，未计入合计`).MatchString(text) {
		t.Errorf("the bad submission is not shown as such:\n%s", text)
	}
	totals := c.eval(`[...document.querySelectorAll("#totals tr")].map(r => r.innerText).join("\n")`)
	if !regexp.MustCompile(`西湖路街道\s+报送内容无法读取，未计入合计`).MatchString(totals) {
		t.Errorf("the totals do not say the submission was unreadable:\n%s", totals)
	}
	rebound := c.open("http://rebind.example:" + port + "/")
	if body := c.eval(`document.body.innerText`); rebound.Status != 421 || strings.Contains(body, "南明区") {
		t.Errorf("page served to a rebinding name: HTTP %d %q", rebound.Status, body)
	}
}
