package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestWorkbenchSignInNeverLeavesTheSite: the page to go back to after
// signing in comes from a link anyone can send; whatever it holds, the
// browser is sent to a path of this site. A tab or newline inside "/\t/"
// is dropped by browsers (WHATWG URL parsing), which then read "//evil" as
// another host.
func TestWorkbenchSignInNeverLeavesTheSite(t *testing.T) {
	f := newWBFixture(t, false)
	for _, next := range []string{"/\t/evil.example/", "/\n/evil.example/", "/\r/evil.example/", "\t//evil.example/",
		"/\\evil.example/", "//evil.example/", "https://evil.example/", "/\t\\evil.example/", "/%2F/evil.example/"} {
		b := f.browser(t)
		res := b.raw(http.MethodPost, "/signin", url.Values{"csrf": {b.csrf("/signin")}, "name": {"staff"}, "password": {wbPassword}, "next": {next}})
		loc := res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther || !sameSite(loc) {
			t.Errorf("next %q: HTTP %d to %q", next, res.StatusCode, loc)
		}
		res = b.raw(http.MethodGet, "/lang?to=en&back="+url.QueryEscape(next), nil)
		if loc := res.Header.Get("Location"); !sameSite(loc) {
			t.Errorf("language toggle back %q: to %q", next, loc)
		}
	}
}

// raw sends one request with the browser's cookies and returns the answer
// as it came, even with a Location Go's client would refuse to parse.
func (b *browser) raw(method, path string, form url.Values) *http.Response {
	b.t.Helper()
	req, _ := http.NewRequest(method, b.f.url+path, strings.NewReader(form.Encode()))
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, c := range b.c.Jar.Cookies(req.URL) {
		req.AddCookie(c)
	}
	res, err := b.c.Transport.RoundTrip(req)
	if err != nil {
		b.t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// sameSite reports whether a Location, read as a browser reads it
// (dropping tabs and newlines, "\" as "/"), stays on this site.
func sameSite(loc string) bool {
	l := strings.Map(func(r rune) rune {
		switch r {
		case '\t', '\n', '\r':
			return -1
		case '\\':
			return '/'
		}
		return r
	}, strings.TrimSpace(loc))
	return strings.HasPrefix(l, "/") && !strings.HasPrefix(l, "//")
}
