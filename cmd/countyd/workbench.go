package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"rehabdesk/internal/webguard"
	"rehabdesk/sync/server"
)

// The county office's workbench: server-rendered pages beside the sync API
// on the same listener (countyd serve), for county accounts only (countyd
// user). Every page needs a session; pages and forms of administration
// need the admin role; every form carries the session's CSRF token; every
// page viewed and every change is written to the workbench's audit log.
type workbench struct {
	srv *server.Server
	now func() time.Time
	log *slog.Logger
}

// Cookie names. Over TLS the session cookie takes the __Host- prefix: the
// browser then sends it only to this host, over TLS, for every path.
const (
	sessionCookie = "countyd_session"
	preCookie     = "countyd_signin" // the sign-in form's CSRF token, before any session
	langCookie    = "countyd_lang"
	csrfField     = "csrf"
)

func cookieName(r *http.Request, name string) string {
	if r.TLS != nil {
		return "__Host-" + name
	}
	return name
}

// handler routes the workbench. Its answers carry webguard's headers and
// only a Host naming this machine is answered.
func (wb *workbench) handler(hosts ...string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/townships", http.StatusSeeOther) })
	mux.HandleFunc("GET /signin", wb.signInPage)
	mux.HandleFunc("POST /signin", wb.signIn)
	mux.HandleFunc("GET /lang", wb.setLang)
	mux.Handle("POST /signout", wb.form(server.RoleStaff, wb.signOut))
	for path, p := range wb.pages() {
		mux.Handle("GET "+path, wb.page(p.role, p.fn))
	}
	for path, p := range wb.forms() {
		mux.Handle("POST "+path, wb.form(p.role, p.fn))
	}
	return webguard.Wrap(mux, hosts...)
}

// request is what a page or form handler gets: the session, the language
// and the form values.
type request struct {
	*http.Request
	w       http.ResponseWriter
	session *server.Session
	lang    string
}

type handlerFunc func(ctx context.Context, rq *request) error

type route struct {
	role string
	fn   handlerFunc
}

// page serves a GET page to a session of the role, and audits the view.
func (wb *workbench) page(role string, fn handlerFunc) http.Handler {
	return wb.authed(role, func(ctx context.Context, rq *request) error {
		if err := wb.audit(ctx, rq, "view", rq.URL.RequestURI()); err != nil {
			return err
		}
		return fn(ctx, rq)
	})
}

// form serves a POST to a session of the role whose CSRF token matches.
func (wb *workbench) form(role string, fn handlerFunc) http.Handler {
	return wb.authed(role, func(ctx context.Context, rq *request) error {
		if !server.SameToken(rq.PostFormValue(csrfField), rq.session.CSRF) {
			wb.audit(ctx, rq, "refused: no CSRF token", rq.URL.Path)
			return errForbiddenCSRF
		}
		return fn(ctx, rq)
	})
}

var (
	errForbiddenCSRF = errors.New("csrf")
	errForbiddenRole = errors.New("role")
)

// authed finds the session (none: back to sign-in, naming the page) and
// checks the role before fn runs.
func (wb *workbench) authed(role string, fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		rq := &request{Request: r, w: w, lang: langOf(r)}
		ss, err := wb.session(r)
		if errors.Is(err, server.ErrNoSession) {
			wb.toSignIn(w, r)
			return
		}
		if err == nil && role == server.RoleAdmin && ss.Role != server.RoleAdmin {
			rq.session = ss
			wb.audit(r.Context(), rq, "refused: admin only", r.URL.Path)
			err = errForbiddenRole
		}
		if err == nil {
			rq.session = ss
			r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
			err = fn(r.Context(), rq)
		}
		if err != nil {
			wb.fail(rq, err)
		}
	})
}

func (wb *workbench) session(r *http.Request) (*server.Session, error) {
	c, err := r.Cookie(cookieName(r, sessionCookie))
	if err != nil {
		return nil, server.ErrNoSession
	}
	return wb.srv.SessionOf(r.Context(), c.Value)
}

// toSignIn sends a browser without a live session to the sign-in page,
// which brings it back to the page it asked for (GET) afterwards.
func (wb *workbench) toSignIn(w http.ResponseWriter, r *http.Request) {
	next := "/"
	if r.Method == http.MethodGet {
		next = r.URL.RequestURI()
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName(r, sessionCookie), Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/signin?next="+url.QueryEscape(next), http.StatusSeeOther)
}

func (wb *workbench) audit(ctx context.Context, rq *request, action, detail string) error {
	name := ""
	if rq.session != nil {
		name = rq.session.Account
	}
	return wb.srv.WebAudit(context.WithoutCancel(ctx), server.WebAuditEntry{Account: name, Remote: remoteAddr(rq.Request), Action: action, Detail: detail})
}

func remoteAddr(r *http.Request) string {
	if i := strings.LastIndexByte(r.RemoteAddr, ':'); i > 0 {
		return strings.Trim(r.RemoteAddr[:i], "[]")
	}
	return r.RemoteAddr
}

// fail answers a refused or failed request with a page saying why.
func (wb *workbench) fail(rq *request, err error) {
	status, key := http.StatusInternalServerError, "wb.error.server"
	switch {
	case errors.Is(err, errForbiddenCSRF):
		status, key = http.StatusForbidden, "wb.error.csrf"
	case errors.Is(err, errForbiddenRole):
		status, key = http.StatusForbidden, "wb.error.admin_only"
	case errors.Is(err, errBadForm):
		status, key = http.StatusBadRequest, "wb.error.bad_form"
	case errors.Is(err, errNoCounty):
		status, key = http.StatusOK, "wb.error.no_county"
	case errors.Is(err, errSeveralCounties):
		status, key = http.StatusOK, "wb.error.several_counties"
	}
	if status == http.StatusInternalServerError {
		wb.log.Error("workbench request failed", "path", rq.URL.Path, "err", err)
	}
	wb.render(rq, status, "error", "wb.error.title", map[string]string{"Message": wbT(rq.lang, key)})
}

var errBadForm = errors.New("bad form")

// safeNext keeps a redirect target on this site: a path, not "//host".
// Browsers drop tabs and newlines from a URL and read "\\" as "/", so
// "/\t/evil" or "/\\evil" would leave the site: a target holding any
// control character or backslash is refused.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsFunc(next, func(r rune) bool {
		return r < 0x20 || r == 0x7f || r == '\\'
	}) {
		return "/"
	}
	return next
}

// langOf is the page language: the toggle's cookie, else the browser's
// first choice if it is English, else Chinese.
func langOf(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == "en" || c.Value == "zh") {
		return c.Value
	}
	first, _, _ := strings.Cut(r.Header.Get("Accept-Language"), ",")
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(first)), "en") {
		return "en"
	}
	return "zh"
}

// setLang is the language toggle: GET /lang?to=en&back=/page.
func (wb *workbench) setLang(w http.ResponseWriter, r *http.Request) {
	to := r.URL.Query().Get("to")
	if to != "en" {
		to = "zh"
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: to, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, safeNext(r.URL.Query().Get("back")), http.StatusSeeOther)
}
