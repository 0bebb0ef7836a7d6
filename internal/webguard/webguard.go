// Package webguard hardens an HTTP handler that serves pages to a browser:
// the county office's workbench. Beside its sign-in, sessions and CSRF
// tokens, it must refuse what a browser can be tricked into sending it:
//
//   - DNS rebinding: a web site whose name the attacker makes resolve to
//     the server's address can read its pages with the visitor's browser. The
//     browser still sends the attacker's name in Host, so only requests
//     naming the machine (loopback addresses, localhost, the address the
//     page listens on, names the operator configured) are answered.
//   - Framing and sniffing: a page may not be shown inside another site's
//     frame (clickjacking), runs no script, loads nothing from elsewhere,
//     posts its forms to itself only, and its content type is never guessed.
package webguard

import (
	"net"
	"net/http"
	"strings"
)

// Headers are the security headers every answer carries. The pages style
// themselves with one inline <style>, run no script and post their forms
// to themselves only, so the policy allows inline style, forms to this
// origin and nothing else.
var Headers = map[string]string{
	"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; " +
		"form-action 'self'; frame-ancestors 'none'",
	"X-Frame-Options":        "DENY",
	"X-Content-Type-Options": "nosniff",
	"Referrer-Policy":        "no-referrer",
}

// Wrap answers requests whose Host names this machine with h, adding
// Headers; any other Host is refused with 421 Misdirected Request. hosts
// are the names or addresses (with or without port) that also name it:
// the listen address and any the operator gave.
func Wrap(h http.Handler, hosts ...string) http.Handler {
	allowed := map[string]bool{"localhost": true}
	for _, a := range hosts {
		if name := hostname(a); name != "" {
			allowed[name] = true
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range Headers {
			w.Header().Set(k, v)
		}
		if !Allowed(r.Host, allowed) {
			http.Error(w, "this page answers only to its own address", http.StatusMisdirectedRequest)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// Allowed reports whether a Host header names this machine: a loopback
// address, or a name in allowed (lower case, without port).
func Allowed(host string, allowed map[string]bool) bool {
	name := hostname(host)
	if ip := net.ParseIP(name); ip != nil && ip.IsLoopback() {
		return true
	}
	return name != "" && allowed[name]
}

// hostname is a Host header or address without its port or brackets, in
// lower case, without a trailing dot.
func hostname(hostport string) string {
	h := hostport
	if host, _, err := net.SplitHostPort(hostport); err == nil {
		h = host
	}
	h = strings.TrimSuffix(strings.Trim(h, "[]"), ".")
	return strings.ToLower(h)
}
