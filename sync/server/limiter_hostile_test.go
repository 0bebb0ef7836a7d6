package server

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"rehabdesk/internal/storetest"
	"rehabdesk/sync/wire"
)

// TestUnknownTokensFromManyAddressesAreForgotten: anyone may send requests
// with a made-up token, each from another address (an IPv6 network gives
// a caller more addresses than it could ever use). The server counts each
// failure to slow guessing, and must forget the counts once their minute
// has passed: kept until that very address came back, they grew the
// server's memory without bound. The addresses of one IPv6 /64 count as
// one.
func TestUnknownTokensFromManyAddressesAreForgotten(t *testing.T) {
	clock := storetest.NewClock(time.Now())
	srv, err := newTestDB(t, backendOf(t)).open(t.Context(), Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	guess := func(addr string) int {
		req := httptest.NewRequest(http.MethodPost, wire.PathPull, strings.NewReader(""))
		req.RemoteAddr = addr
		req.Header.Set("Authorization", "Bearer made-up-token")
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, req)
		return rec.Code
	}
	for i := 0; i < 10; i++ { // the failures a caller may make in a minute
		guess(fmt.Sprintf("[2001:db8:ffff:1::%x]:5000", i+1))
	}
	if st := guess("[2001:db8:ffff:1::beef]:5000"); st != http.StatusTooManyRequests {
		t.Fatalf("another address of the guessing network: HTTP %d, want %d", st, http.StatusTooManyRequests)
	}
	for i := 0; i < 2000; i++ {
		if st := guess(fmt.Sprintf("[2001:db8:%x:%x::1]:5000", i/256, i%256)); st != http.StatusUnauthorized {
			t.Fatalf("guess %d: HTTP %d", i, st)
		}
	}
	clock.Add(2 * time.Minute)
	guess("10.9.9.9:5000")
	if n := srv.limiter.size(); n > 10 {
		t.Fatalf("the server still counts failures of %d addresses two minutes on", n)
	}
}
