package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"testing"
	"time"

	"rehabdesk/internal/storetest"
	"rehabdesk/sync/server"
)

// wbFixture is countyd serve's handler (sync API and workbench) on the
// county fixture's server, with an administrator "admin" and a staff
// account "staff" (password wbPassword), and the fixture's township
// officer "officer" / "secret-pass" on a laptop.
type wbFixture struct {
	srv   *server.Server
	clock *storetest.Clock
	web   *httptest.Server
	url   string
}

const wbPassword = "county-office-2026"

func newWBFixture(t *testing.T, tls bool) *wbFixture {
	t.Helper()
	// Real time until the fixture's devices have synced; the tests move it on.
	clock := storetest.NewClock(time.Now())
	srv, _ := countyFixtureWith(t, server.Options{Now: clock.Now, PasswordKDF: storetest.FastKDF})
	// The pages are looked at on the 10th, past last month's deadline (the 5th).
	now := time.Now()
	clock.Set(time.Date(now.Year(), now.Month(), 10, 12, 0, 0, 0, time.Local))
	ctx := context.Background()
	for name, role := range map[string]string{"admin": server.RoleAdmin, "staff": server.RoleStaff} {
		if err := srv.AddAccount(ctx, name, role, wbPassword); err != nil {
			t.Fatal(err)
		}
	}
	wb := &workbench{srv: srv, now: clock.Now, log: discardLog()}
	h := serveMux(srv, wb)
	web := httptest.NewUnstartedServer(h)
	if tls {
		web.StartTLS()
	} else {
		web.Start()
	}
	t.Cleanup(web.Close)
	return &wbFixture{srv: srv, clock: clock, web: web, url: web.URL}
}

// browser is a client with its own cookies that does not follow
// redirects, so that each answer can be checked.
type browser struct {
	t *testing.T
	f *wbFixture
	c *http.Client
}

func (f *wbFixture) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	c := *f.web.Client() // a copy: the server's client is shared
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &browser{t: t, f: f, c: &c}
}

// get fetches a path and returns the answer and its body.
func (b *browser) get(path string) (*http.Response, string) {
	b.t.Helper()
	res, err := b.c.Get(b.f.url + path)
	if err != nil {
		b.t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, string(body)
}

func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	res, err := b.c.PostForm(b.f.url+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, string(body)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf is the form token on a page.
func (b *browser) csrf(path string) string {
	b.t.Helper()
	_, body := b.get(path)
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("no CSRF token on %s:\n%s", path, body)
	}
	return m[1]
}

// signIn fills in the sign-in form and returns the answer.
func (b *browser) signIn(name, password string) (*http.Response, string) {
	b.t.Helper()
	return b.post("/signin", url.Values{"csrf": {b.csrf("/signin")}, "name": {name}, "password": {password}, "next": {"/townships"}})
}

// signedIn is a browser signed in as name.
func (f *wbFixture) signedIn(t *testing.T, name string) *browser {
	t.Helper()
	b := f.browser(t)
	if res, body := b.signIn(name, wbPassword); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in %s: HTTP %d\n%s", name, res.StatusCode, body)
	}
	return b
}

// form posts a form of a page with the page's token.
func (b *browser) form(page, action string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	form.Set("csrf", b.csrf(page))
	return b.post(action, form)
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
