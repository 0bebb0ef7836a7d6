package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"rehabdesk/internal/storetest"
	"rehabdesk/internal/xlsxread"
	"rehabdesk/sync/server"
	"rehabdesk/sync/wire"
)

// TestWorkbenchSessionCookie: over TLS the session cookie is __Host-,
// Secure, HttpOnly, SameSite=Strict and expires with the session's
// absolute limit; over plain HTTP (loopback only) it is not Secure.
func TestWorkbenchSessionCookie(t *testing.T) {
	for _, tls := range []bool{true, false} {
		f := newWBFixture(t, tls)
		res, _ := f.browser(t).signIn("staff", wbPassword)
		var c *http.Cookie
		for _, k := range res.Cookies() {
			if strings.HasSuffix(k.Name, sessionCookie) && k.Value != "" {
				c = k
			}
		}
		if c == nil {
			t.Fatalf("tls %v: no session cookie in %v", tls, res.Header["Set-Cookie"])
		}
		if c.Secure != tls || (c.Name == "__Host-"+sessionCookie) != tls || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" {
			t.Errorf("tls %v: cookie %s secure %v httponly %v samesite %v path %q", tls, c.Name, c.Secure, c.HttpOnly, c.SameSite, c.Path)
		}
		if left := c.Expires.Sub(f.clock.Now()); left < 9*time.Hour || left > 10*time.Hour+time.Minute {
			t.Errorf("tls %v: cookie expires in %s, want the session's 10 h", tls, left)
		}
	}
}

// TestWorkbenchRefusesFormsWithoutItsToken: a form posted without the
// session's CSRF token, or with another session's, changes nothing.
func TestWorkbenchRefusesFormsWithoutItsToken(t *testing.T) {
	f := newWBFixture(t, false)
	admin, other := f.signedIn(t, "admin"), f.signedIn(t, "staff")
	year := f.clock.Now().Year()
	form := url.Values{"year": {strconv.Itoa(year)}, "target.placement_rate": {"90"}}
	for name, token := range map[string]string{"no token": "", "another session's": other.csrf("/townships")} {
		form.Set("csrf", token)
		if res, body := admin.post("/targets", form); res.StatusCode != http.StatusForbidden || !strings.Contains(body, "表单已失效") {
			t.Errorf("%s: HTTP %d", name, res.StatusCode)
		}
	}
	if figs, err := f.srv.YearFigures(context.Background(), servedCounty(t, f.srv), year, server.TargetKind); err != nil {
		t.Fatal(err)
	} else if len(figs) != 0 {
		t.Fatalf("a refused form stored %v", figs)
	}
	if res, _ := admin.form("/targets", "/targets", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("with the token: HTTP %d", res.StatusCode)
	}
	if figs, err := f.srv.YearFigures(context.Background(), servedCounty(t, f.srv), year, server.TargetKind); err != nil {
		t.Fatal(err)
	} else if figs["placement_rate"] != 90 {
		t.Fatalf("targets %v", figs)
	}
	// The sign-in form has its token too (before any session).
	if res, _ := f.browser(t).post("/signin", url.Values{"name": {"admin"}, "password": {wbPassword}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("sign-in without token: HTTP %d", res.StatusCode)
	}
}

var (
	codeShown    = regexp.MustCompile(`class="code">[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}<`)
	workbookLink = regexp.MustCompile(`id="workbook" href="([^"]+)"`)
)

func readAll(res *http.Response) string {
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

// TestWorkbenchStaffCannotAdminister: a staff account sees the county but
// neither the administrators' pages nor their forms, even with its own
// valid token; an administrator can.
func TestWorkbenchStaffCannotAdminister(t *testing.T) {
	f := newWBFixture(t, false)
	ctx := context.Background()
	staff, admin := f.signedIn(t, "staff"), f.signedIn(t, "admin")
	for _, p := range []string{"/codes", "/accounts"} {
		if res, _ := staff.get(p); res.StatusCode != http.StatusForbidden {
			t.Errorf("staff GET %s: HTTP %d", p, res.StatusCode)
		}
		if res, _ := admin.get(p); res.StatusCode != http.StatusOK {
			t.Errorf("admin GET %s: HTTP %d", p, res.StatusCode)
		}
	}
	devs, err := f.srv.Devices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	posts := map[string]url.Values{
		"/codes":            {"township": {"520102016"}, "kind": {"township"}, "hours": {"24"}},
		"/devices/revoke":   {"device": {devs[0].ID}},
		"/accounts/add":     {"name": {"intruder"}, "role": {"admin"}, "password": {"another-long-pass"}},
		"/accounts/disable": {"name": {"admin"}},
		"/accounts/passwd":  {"name": {"admin"}, "password": {"another-long-pass"}},
		"/targets":          {"year": {"2026"}, "target.placement_rate": {"10"}},
	}
	codes, err := f.srv.EnrollCodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for path, form := range posts {
		if res, _ := staff.form("/townships", path, form); res.StatusCode != http.StatusForbidden {
			t.Errorf("staff POST %s: HTTP %d", path, res.StatusCode)
		}
	}
	after, err := f.srv.EnrollCodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	devs2, err := f.srv.Devices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	accts, err := f.srv.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	figs, err := f.srv.YearFigures(ctx, servedCounty(t, f.srv), 2026, server.TargetKind)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(codes) || !devs2[0].Revoked.IsZero() || len(accts) != 2 || !accts[0].Disabled.IsZero() || len(figs) != 0 {
		t.Fatalf("a staff POST changed something: codes %d→%d, device revoked %v, accounts %+v, targets %v", len(codes), len(after), devs2[0].Revoked, accts, figs)
	}
	if _, _, err := f.srv.SignIn(ctx, "admin", wbPassword, "10.9.9.9"); err != nil {
		t.Fatalf("the admin's password was changed by staff: %v", err)
	}
	res, body := admin.form("/codes", "/codes", posts["/codes"])
	if res.StatusCode != http.StatusOK || !codeShown.MatchString(body) {
		t.Fatalf("admin issues a code: HTTP %d", res.StatusCode)
	}
	if res, _ := admin.form("/devices", "/devices/revoke", posts["/devices/revoke"]); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("admin revokes: HTTP %d", res.StatusCode)
	}
	var errCall error
	if devs2, errCall = f.srv.Devices(ctx); errCall != nil {
		t.Fatal(errCall)
	} else if devs2[0].Revoked.IsZero() {
		t.Fatal("the admin's revoke did not revoke")
	}
}

// TestWorkbenchSignInWaits: after three wrong passwords each one more
// imposes a growing wait, during which even the right password is
// refused (429), and the page says how long.
func TestWorkbenchSignInWaits(t *testing.T) {
	f := newWBFixture(t, false)
	b := f.browser(t)
	for i := 0; i < 4; i++ {
		if res, body := b.signIn("staff", "wrong-password-1"); res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "账号或密码错误") {
			t.Fatalf("wrong password %d: HTTP %d", i+1, res.StatusCode)
		}
	}
	if res, body := b.signIn("staff", wbPassword); res.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "请 2 秒后再试") {
		t.Fatalf("right password during the wait: HTTP %d\n%s", res.StatusCode, body)
	}
	b.signIn("staff", "wrong-password-1") // the wait is over only after it passes
	f.clock.Add(2 * time.Second)
	b.signIn("staff", "wrong-password-1")
	if res, body := b.signIn("staff", wbPassword); res.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "请 4 秒后再试") {
		t.Fatalf("the second wait does not grow: HTTP %d\n%s", res.StatusCode, body)
	}
	f.clock.Add(4 * time.Second)
	if res, _ := b.signIn("staff", wbPassword); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("right password after the wait: HTTP %d", res.StatusCode)
	}
}

// wbPages are every page of the workbench and a text each must show.
var wbPages = map[string]string{
	"/townships": "新华路街道", "/report": "已报送月报汇总", "/police": "张三 5201**********123X", "/devices": "520102016",
	"/codes": "签发登记码", "/accounts": "admin", "/targets": "就业安置率", "/audit": "工作台操作记录",
}

// TestWorkbenchAuditsEveryPageView: each page an account views is one
// more row of the audit log, naming the account and the page.
func TestWorkbenchAuditsEveryPageView(t *testing.T) {
	f := newWBFixture(t, false)
	ctx := context.Background()
	b := f.signedIn(t, "admin")
	for path, want := range wbPages {
		before, err := f.srv.WebAuditLog(ctx, 1000)
		if err != nil {
			t.Fatal(err)
		}
		res, body := b.get(path)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("%s: HTTP %d, lacks %q", path, res.StatusCode, want)
		}
		after, err := f.srv.WebAuditLog(ctx, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != len(before)+1 || after[0].Account != "admin" || after[0].Action != "view" || after[0].Detail != path {
			t.Errorf("%s: audit log %d → %d rows, newest %+v", path, len(before), len(after), after[0])
		}
		f.clock.Add(time.Millisecond) // keep the log's order by time
	}
}

// TestWorkbenchSendsExpiredSessionsToSignIn: a session idle past its
// limit is sent to sign in, and back to its page afterwards.
func TestWorkbenchSendsExpiredSessionsToSignIn(t *testing.T) {
	f := newWBFixture(t, false)
	b := f.signedIn(t, "staff")
	if res, _ := b.get("/police"); res.StatusCode != http.StatusOK {
		t.Fatalf("HTTP %d", res.StatusCode)
	}
	f.clock.Add(31 * time.Minute)
	res, body := b.get("/police")
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/signin?next=%2Fpolice" || strings.Contains(body, "张三") {
		t.Fatalf("expired session: HTTP %d to %q", res.StatusCode, loc)
	}
	res, _ = b.post("/signin", url.Values{"csrf": {b.csrf("/signin?next=%2Fpolice")}, "name": {"staff"}, "password": {wbPassword}, "next": {"/police"}})
	if res.Header.Get("Location") != "/police" {
		t.Fatalf("after sign-in: to %q", res.Header.Get("Location"))
	}
	if res, _ := b.post("/signin", url.Values{"csrf": {b.csrf("/signin")}, "name": {"staff"}, "password": {wbPassword}, "next": {"//evil.example/"}}); res.Header.Get("Location") != "/" {
		t.Fatalf("sign-in redirects off the site: %q", res.Header.Get("Location"))
	}
}

// TestWorkbenchRefusesOfficerPasswordsAndOtherHosts: a township officer's
// password opens nothing; a page asked for by a rebinding name is refused
// while the sync API still answers devices by any name.
func TestWorkbenchRefusesOfficerPasswordsAndOtherHosts(t *testing.T) {
	f := newWBFixture(t, false)
	if res, _ := f.browser(t).signIn("officer", "secret-pass"); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("officer's password: HTTP %d", res.StatusCode)
	}
	for path, want := range map[string]int{"/signin": http.StatusMisdirectedRequest, wire.PathStatus: http.StatusUnauthorized} {
		req, _ := http.NewRequest(http.MethodPost, f.url+path, nil)
		req.Host = "rebind.example"
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("%s by another name: HTTP %d, want %d", path, res.StatusCode, want)
		}
	}
}

// TestWorkbenchSpeaksEnglishOnRequest: the browser's language, then the
// toggle, choose the language.
func TestWorkbenchSpeaksEnglishOnRequest(t *testing.T) {
	f := newWBFixture(t, false)
	b := f.browser(t)
	req, _ := http.NewRequest(http.MethodGet, f.url+"/signin", nil)
	req.Header.Set("Accept-Language", "en-GB,en;q=0.8,zh;q=0.5")
	res, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(res)
	if !strings.Contains(body, "County office workbench") {
		t.Fatalf("English asked for, got:\n%s", body)
	}
	if _, body := b.get("/signin"); !strings.Contains(body, "县禁毒办工作台") {
		t.Fatal("Chinese is not the default")
	}
	if res, _ := b.get("/lang?to=en&back=%2Fsignin"); res.Header.Get("Location") != "/signin" {
		t.Fatalf("toggle goes to %q", res.Header.Get("Location"))
	}
	if _, body := b.get("/signin"); !strings.Contains(body, "Sign in") {
		t.Fatal("the toggle did not switch to English")
	}
}

// TestWorkbenchWorkbookDownload: the month's county workbook, as countyd
// report writes it, read back by openpyxl.
func TestWorkbenchWorkbookDownload(t *testing.T) {
	f := newWBFixture(t, false)
	b := f.signedIn(t, "staff")
	_, page := b.get("/report")
	m := workbookLink.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no workbook link on the report page:\n%s", page)
	}
	res, body := b.get(m[1])
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("HTTP %d %v", res.StatusCode, res.Header)
	}
	path := filepath.Join(t.TempDir(), "county.xlsx")
	os.WriteFile(path, []byte(body), 0o600)
	sheets := xlsxread.MustRead(t, path)
	if sheets[0].Cell(1, 1) != "南明区社区戒毒社区康复工作月报汇总表" {
		t.Errorf("title %q", sheets[0].Cell(1, 1))
	}
}

// TestWorkbenchAnswersToThisMachine: listening on every address, the
// workbench answers to this machine's own addresses; on one address, to
// that one (and loopback, localhost: webguard).
func TestWorkbenchAnswersToThisMachine(t *testing.T) {
	all := strings.Join(machineAddrs("0.0.0.0:8443"), " ")
	if !strings.Contains(all, "127.0.0.1") || len(machineAddrs(":8443")) < 2 {
		t.Errorf("every address: %s", all)
	}
	if got := machineAddrs("10.1.2.3:8443"); len(got) != 1 || got[0] != "10.1.2.3:8443" {
		t.Errorf("one address: %v", got)
	}
}

// TestWorkbenchSaysWhenNoCountyIsServed: before any township is added the
// pages say so instead of failing.
func TestWorkbenchSaysWhenNoCountyIsServed(t *testing.T) {
	srv, err := server.Open(context.Background(), filepath.Join(t.TempDir(), "county.db"), server.Options{PasswordKDF: storetest.FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.AddAccount(context.Background(), "staff", server.RoleStaff, wbPassword)
	web := httptest.NewServer(serveMux(srv, &workbench{srv: srv, now: time.Now, log: discardLog()}))
	defer web.Close()
	b := (&wbFixture{srv: srv, web: web, url: web.URL}).signedIn(t, "staff")
	if res, body := b.get("/townships"); res.StatusCode != http.StatusOK || !strings.Contains(body, "尚未添加乡镇") {
		t.Fatalf("HTTP %d\n%s", res.StatusCode, body)
	}
}

// servedCounty is the one county the server serves.
func servedCounty(t *testing.T, srv *server.Server) string {
	t.Helper()
	c, err := srv.FiguresCounty(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestWorkbenchWordsTheDevicesAuditEntries: the county office reads what
// a township's laptop did in its own language ("登录", an import's counts),
// not the codes the laptop stored (sign_in, ledger_import …).
func TestWorkbenchWordsTheDevicesAuditEntries(t *testing.T) {
	f := newWBFixture(t, false)
	_, body := f.signedIn(t, "admin").get("/audit")
	i := strings.Index(body, `id="deviceaudit"`)
	if i < 0 {
		t.Fatal("no table of the devices' entries")
	}
	devices := body[i:]
	if !strings.Contains(devices, ">登录<") {
		t.Errorf("the laptop's sign-in is not worded:\n%s", devices)
	}
	for _, code := range []string{">sign_in<", ">record<", ">sync<"} {
		if strings.Contains(devices, code) {
			t.Errorf("the devices' table shows the bare code %s:\n%s", code, devices)
		}
	}
}
