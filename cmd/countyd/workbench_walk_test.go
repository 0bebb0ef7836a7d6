package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"rehabdesk/internal/webguard"
)

// fillSignIn is the script that fills in and sends the sign-in form, as a
// person would (DevTools runs it; the page itself runs no script).
func fillSignIn(name, password string) string {
	return fmt.Sprintf(`document.querySelector("input[name=name]").value = %q;
		document.querySelector("input[name=password]").value = %q;
		document.querySelector("#signin").click()`, name, password)
}

// TestWorkbenchWalkInChromium walks the workbench in headless Chromium
// over TLS, as a county office's browser does: asked for a page, it is
// sent to sign in; a township officer's password is refused; an
// administrator signs in and reaches every page, each with the security
// headers and its own style applied; a form whose CSRF token was removed
// is refused and changes nothing; and after the session has been idle too
// long, a page sends the browser back to sign in.
func TestWorkbenchWalkInChromium(t *testing.T) {
	f := newWBFixture(t, true)
	c := startChromium(t, "--ignore-certificate-errors", "--accept-lang=zh-CN,zh")
	res := c.open(f.url + "/police")
	if href := c.eval("location.href"); res.Status != http.StatusOK || !strings.Contains(href, "/signin?next=%2Fpolice") {
		t.Fatalf("unsigned browser: HTTP %d at %s", res.Status, href)
	}
	res = c.submit(fillSignIn("officer", "secret-pass"))
	if body := c.eval("document.body.innerText"); res.Status != http.StatusUnauthorized || !strings.Contains(body, "账号或密码错误") {
		t.Fatalf("a township officer's password: HTTP %d\n%s", res.Status, body)
	}
	res = c.submit(fillSignIn("admin", wbPassword))
	if href := c.eval("location.href"); res.Status != http.StatusOK || !strings.HasSuffix(href, "/police") {
		t.Fatalf("after sign-in: HTTP %d at %s", res.Status, href)
	}
	walkEveryPage(t, c, f)
	csrfLessPostRefused(t, c, f)
	f.clock.Add(31 * time.Minute)
	res = c.open(f.url + "/townships")
	if href, body := c.eval("location.href"), c.eval("document.body.innerText"); !strings.Contains(href, "/signin?next=%2Ftownships") || strings.Contains(body, "新华路街道") {
		t.Fatalf("idle session: HTTP %d at %s\n%s", res.Status, href, body)
	}
}

// walkEveryPage opens each page by its link in the menu.
func walkEveryPage(t *testing.T, c *chromium, f *wbFixture) {
	t.Helper()
	links := c.eval(`[...document.querySelectorAll("header nav a")].map(a => a.getAttribute("href")).join(" ")`)
	if got := len(strings.Fields(links)); got != len(wbPages) {
		t.Fatalf("the administrator's menu has %d pages (%s), want %d", got, links, len(wbPages))
	}
	for _, path := range strings.Fields(links) {
		res := c.open(f.url + path)
		if res.Status != http.StatusOK {
			t.Errorf("%s: HTTP %d", path, res.Status)
			continue
		}
		for k, v := range webguard.Headers {
			if got := res.Headers[strings.ToLower(k)]; got != v {
				t.Errorf("%s: %s %q, want %q", path, k, got, v)
			}
		}
		if body := c.eval("document.body.innerText"); !strings.Contains(body, wbPages[path]) {
			t.Errorf("%s lacks %q:\n%s", path, wbPages[path], body)
		}
		if bg := c.eval(`getComputedStyle(document.querySelector("header")).backgroundColor`); bg != "rgb(34, 51, 68)" {
			t.Errorf("%s: the page's own style is blocked: header background %q", path, bg)
		}
	}
	if c.eval(`document.querySelectorAll("script").length`) != "0" {
		t.Error("a page carries a script")
	}
}

// csrfLessPostRefused sends the targets form without its token.
func csrfLessPostRefused(t *testing.T, c *chromium, f *wbFixture) {
	t.Helper()
	c.open(f.url + "/targets")
	res := c.submit(`document.querySelector("form[action='/targets'] input[name=csrf]").remove();
		document.querySelector("input[name='target.placement_rate']").value = "77";
		document.querySelector("#save").click()`)
	if body := c.eval("document.body.innerText"); res.Status != http.StatusForbidden || !strings.Contains(body, "表单已失效") {
		t.Fatalf("form without its token: HTTP %d\n%s", res.Status, body)
	}
	c.open(f.url + "/targets")
	if v := c.eval(`document.querySelector("input[name='target.placement_rate']").value`); v != "" {
		t.Fatalf("the refused form stored a target: %q", v)
	}
}
