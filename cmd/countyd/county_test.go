package main

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
	"rehabdesk/store/report"
	"rehabdesk/sync/client"
	"rehabdesk/sync/server"
)

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
	st, err := store.Create(ctx, filepath.Join(t.TempDir(), "t.db"), "520102016", "officer", "secret-pass", store.Options{KDF: storetest.FastKDF})
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
	st, err := store.Create(ctx, filepath.Join(t.TempDir(), township+".db"), township, "officer", "secret-pass", store.Options{KDF: storetest.FastKDF})
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

// TestWorkbenchShowsTheCounty: the townships, report and police pages
// show the county as the read-only page did: each township's status for
// the month (late, submitted, a submission that could not be read, shown
// as such and not counted), the totals, and the police alerts.
func TestWorkbenchShowsTheCounty(t *testing.T) {
	f := newWBFixture(t, false)
	b := f.signedIn(t, "staff")
	var all string
	for _, p := range []string{"/townships", "/report", "/police"} {
		res, body := b.get(p)
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("%s: HTTP %d %s", p, res.StatusCode, res.Header.Get("Content-Type"))
		}
		all += body
	}
	for _, want := range append(pageWants, "<th>合计</th><th>1</th>") {
		if !strings.Contains(all, want) {
			t.Errorf("the pages lack %q", want)
		}
	}
	for name, re := range map[string]*regexp.Regexp{
		"township line": regexp.MustCompile(`西湖路街道</td><td>520102017</td><td>1</td>\s*<td>[^<]+</td>\s*<td class="status missing">报送内容无法读取，未计入合计</td>`),
		"totals line":   regexp.MustCompile(`西湖路街道</td><td class="missing" colspan="\d+">报送内容无法读取，未计入合计</td>`),
	} {
		if !re.MatchString(all) {
			t.Errorf("the bad submission is not shown as such in the %s", name)
		}
	}
	if strings.Contains(all, "<script") {
		t.Error("the pages must work without JavaScript")
	}
}
