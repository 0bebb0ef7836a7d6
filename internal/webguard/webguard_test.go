package webguard

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestOnlyThisMachinesNamesAreAnswered(t *testing.T) {
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("page")) })
	h := Wrap(page, "127.0.0.1:8090", "county-pc.local")
	cases := map[string]int{
		"127.0.0.1:8090":       200,
		"127.0.0.2":            200,
		"[::1]:8090":           200,
		"localhost:8090":       200,
		"LOCALHOST.":           200,
		"county-pc.local:8090": 200,
		"evil.example:8090":    http.StatusMisdirectedRequest, // DNS rebinding
		"evil.example":         http.StatusMisdirectedRequest,
		"10.0.0.5:8090":        http.StatusMisdirectedRequest,
		"":                     http.StatusMisdirectedRequest,
	}
	for host, want := range cases {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Host = host
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("Host %q: HTTP %d, want %d", host, rec.Code, want)
		}
		for k, v := range Headers {
			if got := rec.Header().Get(k); got != v {
				t.Errorf("Host %q: %s = %q, want %q", host, k, got, v)
			}
		}
	}
}
