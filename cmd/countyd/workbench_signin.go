package main

import (
	"context"
	"errors"
	"math"
	"net/http"

	"rehabdesk/store"
	"rehabdesk/sync/server"
)

// signInPage shows the sign-in form. Before any session exists, its CSRF
// token is a random value in a cookie that the form must repeat (double
// submit): another site can make a browser post the form but can read
// neither, so it cannot sign the browser in to an account of its choosing.
func (wb *workbench) signInPage(w http.ResponseWriter, r *http.Request) {
	wb.showSignIn(&request{Request: r, w: w, lang: langOf(r)}, http.StatusOK, "")
}

func (wb *workbench) showSignIn(rq *request, status int, msg string) {
	token := server.NewToken()
	http.SetCookie(rq.w, &http.Cookie{Name: cookieName(rq.Request, preCookie), Value: token, Path: "/", MaxAge: 3600,
		HttpOnly: true, Secure: rq.TLS != nil, SameSite: http.SameSiteStrictMode})
	rq.w.Header().Set("Cache-Control", "no-store")
	wb.render(rq, status, "signin", "wb.signin.title", map[string]string{
		"CSRF": token, "Next": safeNext(rq.FormValue("next")), "Message": msg})
}

func (wb *workbench) signIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	rq := &request{Request: r, w: w, lang: langOf(r)}
	pre, err := r.Cookie(cookieName(r, preCookie))
	if err != nil || !server.SameToken(r.PostFormValue(csrfField), pre.Value) {
		wb.audit(r.Context(), rq, "refused: no CSRF token", r.URL.Path)
		wb.showSignIn(rq, http.StatusForbidden, wbT(rq.lang, "wb.error.csrf"))
		return
	}
	name := r.PostFormValue("name")
	ss, id, err := wb.srv.SignIn(r.Context(), name, r.PostFormValue("password"), remoteAddr(r))
	if err != nil {
		wb.signInFailed(rq, name, err)
		return
	}
	rq.session = ss
	wb.audit(r.Context(), rq, "sign in", "")
	http.SetCookie(w, &http.Cookie{Name: cookieName(r, sessionCookie), Value: id, Path: "/", Expires: wb.srv.SessionExpiry(ss),
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	http.SetCookie(w, &http.Cookie{Name: cookieName(r, preCookie), Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

// signInFailed says why without saying whether the name exists.
func (wb *workbench) signInFailed(rq *request, name string, err error) {
	var we *server.SignInWaitError
	status, msg := http.StatusUnauthorized, wbT(rq.lang, "wb.signin.wrong")
	switch {
	case errors.As(err, &we):
		status, msg = http.StatusTooManyRequests, wbT(rq.lang, "wb.signin.wait", int(math.Ceil(we.Wait.Seconds())))
	case !errors.Is(err, server.ErrBadSignIn):
		wb.log.Error("sign-in failed", "err", err)
		status, msg = http.StatusInternalServerError, wbT(rq.lang, "wb.error.server")
	}
	wb.audit(context.WithoutCancel(rq.Context()), rq, "sign in refused", server.NormUser(name))
	wb.showSignIn(rq, status, msg)
}

func (wb *workbench) signOut(ctx context.Context, rq *request) error {
	if c, err := rq.Cookie(cookieName(rq.Request, sessionCookie)); err == nil {
		if err := wb.srv.SignOut(ctx, c.Value); err != nil {
			return err
		}
	}
	wb.audit(ctx, rq, "sign out", "")
	http.SetCookie(rq.w, &http.Cookie{Name: cookieName(rq.Request, sessionCookie), Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: rq.TLS != nil, SameSite: http.SameSiteStrictMode})
	http.Redirect(rq.w, rq.Request, "/signin", http.StatusSeeOther)
	return nil
}

// errorKey is the message of an error the account and device forms meet.
func errorKey(err error) string {
	for e, key := range map[error]string{
		store.ErrWeakPassword: "wb.error.weak_password", store.ErrCommonPassword: "wb.error.common_password",
		server.ErrAccountExists: "wb.error.account_exists", server.ErrNoAccount: "wb.error.no_account",
		server.ErrBadRole: "wb.error.bad_role", server.ErrBadUserName: "wb.error.bad_user_name",
		server.ErrNoDevice: "wb.error.no_device", server.ErrNoTownship: "wb.error.no_township", errSelf: "wb.error.self",
	} {
		if errors.Is(err, e) {
			return key
		}
	}
	return ""
}
