package client

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
	"rehabdesk/sync/server"
)

// faultyDial makes connections that, while armed, die after reading
// cutAfter bytes of a reply (so the request got through), at most cuts times.
type faultyDial struct {
	armed    atomic.Bool
	cuts     atomic.Int32
	cutAfter int64
}

func newFaulty(cuts int32, cutAfter int64) *faultyDial {
	f := &faultyDial{cutAfter: cutAfter}
	f.cuts.Store(cuts)
	f.armed.Store(true)
	return f
}

func (f *faultyDial) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return &cutConn{Conn: c, f: f}, nil
}

type cutConn struct {
	net.Conn
	f    *faultyDial
	read int64 // bytes read while armed
}

func (c *cutConn) Read(p []byte) (int, error) {
	if !c.f.armed.Load() {
		return c.Conn.Read(p)
	}
	if c.read >= c.f.cutAfter && c.f.cuts.Add(-1) >= 0 {
		c.Conn.Close()
		return 0, errors.New("connection cut by test proxy")
	}
	if left := c.f.cutAfter - c.read; left > 0 && int64(len(p)) > left {
		p = p[:left]
	}
	n, err := c.Conn.Read(p)
	c.read += int64(n)
	return n, err
}

// idFor makes the i-th distinct valid ID number.
func idFor(i int) string {
	birth := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i/500)
	return storetest.IDNumber(fmt.Sprintf("520102%s%03d", birth.Format("20060102"), i%500*2))
}

func addPersons(t testing.TB, st *store.Store, n, from int) {
	t.Helper()
	for i := from; i < from+n; i++ {
		put(t, st, store.KindPerson, "", map[string]string{"name": "张三", "id_number": idFor(i)})
	}
}

func TestLostReplyIsRetriedWithoutDuplicates(t *testing.T) {
	c := newCounty(t)
	ctx := context.Background()
	a := c.enrolled(t, townA)
	addPersons(t, a, 5, 0)
	fd := newFaulty(1, 1) // the first push's reply is lost; the retry gets duplicates
	if _, err := Sync(ctx, a, nil, Options{Retries: 2, Dial: fd.dial, Backoff: time.Millisecond}); err != nil {
		t.Fatalf("retried sync failed: %v", err)
	}
	st, err := c.srv.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	res := mustSync(t, a)
	st2, err := c.srv.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st != st2 || res.Pushed != 0 {
		t.Fatalf("second sync pushed %d; server %v -> %v", res.Pushed, st, st2)
	}
	if info, err := Status(ctx, a); err != nil || info.Pending != 0 {
		t.Fatalf("pending after sync: %d (error %v)", info.Pending, err)
	}
}

func TestPushAckLostThenNextSyncSendsDuplicatesOnly(t *testing.T) {
	c := newCounty(t)
	ctx := context.Background()
	a := c.enrolled(t, townA)
	addPersons(t, a, 5, 0)
	fd := newFaulty(100, 1)
	_, err := Sync(ctx, a, nil, Options{Retries: 1, Dial: fd.dial, Backoff: time.Millisecond})
	var ne *NetworkError
	if !errors.As(err, &ne) {
		t.Fatalf("want a network error, got %v", err)
	}
	stored, err := c.srv.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Changes != 6 {
		t.Fatalf("server stored %d changes, want 6 (the pushes got through)", stored.Changes)
	}
	res := mustSync(t, a)
	if res.Pushed != 0 || res.Duplicates != 6 {
		t.Fatalf("after lost ack: %+v", res)
	}
	if again, err := c.srv.Stats(ctx); err != nil || again != stored {
		t.Fatalf("duplicates stored: %v -> %v (error %v)", stored, again, err)
	}
}

func TestInterruptedInitialPullResumes(t *testing.T) {
	c := newCounty(t)
	ctx := context.Background()
	a := c.enrolled(t, townA)
	addPersons(t, a, 60, 0)
	mustSync(t, a)
	b := c.enrolled(t, townA)
	// After two pages, every reply is cut short.
	fd := newFaulty(1000, 200)
	fd.armed.Store(false)
	opt := Options{Retries: 2, PullPage: 10, Backoff: time.Millisecond, Dial: fd.dial}
	arm := func(p Progress) {
		if p.Done >= 20 {
			fd.armed.Store(true)
		}
	}
	first, err := Sync(ctx, b, arm, opt)
	if err == nil {
		t.Fatal("cut sync succeeded")
	}
	if first.Pulled < 20 {
		t.Fatalf("pulled %d before the cut", first.Pulled)
	}
	second := mustSync(t, b)
	if second.Pulled >= 61 || second.Pulled+first.Pulled < 61 {
		t.Fatalf("resume pulled %d after %d", second.Pulled, first.Pulled)
	}
	sameData(t, "b vs server", snapshot(t, b), c.snapshot(t, townA))
}

func TestTransientFailuresAreRetriedWithBackoff(t *testing.T) {
	c := newCounty(t)
	a := c.enrolled(t, townA)
	addPersons(t, a, 3, 0)
	fd := newFaulty(3, 100)
	res, err := Sync(context.Background(), a, nil, Options{Retries: 5, Dial: fd.dial, Backoff: time.Millisecond})
	if err != nil || res.Pushed+res.Duplicates != 4 {
		t.Fatalf("sync with 3 cut connections: %+v, %v", res, err)
	}
}

func TestPinnedTLS(t *testing.T) {
	ctx := context.Background()
	srv, err := server.Open(ctx, filepath.Join(t.TempDir(), "c.db"), server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.AddTownship(ctx, townA)
	dir := t.TempDir()
	cert, fp, err := server.LoadOrCreateCert(filepath.Join(dir, "c.pem"), filepath.Join(dir, "k.pem"))
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(srv.Handler())
	hs.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	hs.StartTLS()
	defer hs.Close()
	a := newDevice(t, townA)
	code, err := srv.NewEnrollCode(ctx, townA, false, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	// Without a fingerprint nothing is sent: the certificate shown is
	// named for the officer to compare, never pinned on trust.
	var unconfirmed *UnconfirmedPinError
	if _, err := Enroll(ctx, a, hs.URL, code, "", fastOpt); !errors.As(err, &unconfirmed) || unconfirmed.Fingerprint != fp {
		t.Fatalf("enroll without fingerprint: %v", err)
	}
	if in, err := Status(ctx, a); err != nil || in.Enrolled {
		t.Fatal("enrolled without a confirmed fingerprint", err)
	}
	if _, err := Enroll(ctx, a, hs.URL, code, "sha256:"+fp[:60]+"0000", fastOpt); !errors.Is(err, ErrPinMismatch) {
		t.Fatalf("wrong fingerprint accepted: %v", err)
	}
	en, err := Enroll(ctx, a, hs.URL, code, "SHA256:"+fp, fastOpt)
	if err != nil || en.Fingerprint != fp {
		t.Fatalf("enroll over TLS: %+v %v", en, err)
	}
	mustSync(t, a)
	// Another certificate on the same address (a man in the middle) is refused.
	other, _, err := server.LoadOrCreateCert(filepath.Join(dir, "c2.pem"), filepath.Join(dir, "k2.pem"))
	if err != nil {
		t.Fatal(err)
	}
	hs.TLS.Certificates = []tls.Certificate{other}
	hs.CloseClientConnections()
	mitm := httptest.NewUnstartedServer(srv.Handler())
	mitm.Listener.Close()
	mitm.Listener, _ = net.Listen("tcp", "127.0.0.1:0")
	mitm.TLS = &tls.Config{Certificates: []tls.Certificate{other}}
	mitm.StartTLS()
	defer mitm.Close()
	a.SetSyncState(ctx, map[string]string{keyServer: mitm.URL})
	if _, err := Sync(ctx, a, nil, fastOpt); !errors.Is(err, ErrPinMismatch) {
		t.Fatalf("other certificate accepted: %v", err)
	}
}

func TestClockFarOffIsWarned(t *testing.T) {
	c := newCounty(t)
	a := c.enrolled(t, townA)
	opt := fastOpt
	opt.Now = func() time.Time { return time.Now().Add(-3 * time.Hour) }
	res, err := Sync(context.Background(), a, nil, opt)
	if err != nil || !res.ClockWarning() {
		t.Fatalf("skew %v not warned (%v)", res.ClockSkew, err)
	}
	if mustSync(t, a).ClockWarning() {
		t.Fatal("a right clock was warned")
	}
}

// throttledConn limits reads to rate bytes per second, like a weak 2G link.
type throttledConn struct {
	net.Conn
	rate int
}

func (c *throttledConn) Read(p []byte) (int, error) {
	if len(p) > 512 {
		p = p[:512]
	}
	n, err := c.Conn.Read(p)
	time.Sleep(time.Duration(n) * time.Second / time.Duration(c.rate))
	return n, err
}

func TestSyncOverA50kbitLink(t *testing.T) {
	if testing.Short() {
		t.Skip("takes a few seconds at 50 kbit/s")
	}
	c := newCounty(t)
	a, b := c.enrolled(t, townA), c.enrolled(t, townA)
	addPersons(t, a, 100, 0)
	mustSync(t, a)
	slow := Options{Dial: func(ctx context.Context, n, addr string) (net.Conn, error) {
		conn, err := (&net.Dialer{}).DialContext(ctx, n, addr)
		return &throttledConn{Conn: conn, rate: 50000 / 8}, err
	}}
	start := time.Now()
	res, err := Sync(context.Background(), b, nil, slow)
	if err != nil || res.Pulled != 101 {
		t.Fatalf("slow sync: %+v %v", res, err)
	}
	t.Logf("%d bytes received in %v at 50 kbit/s", res.Recv, time.Since(start).Round(time.Millisecond))
	sameData(t, "b vs server", snapshot(t, b), c.snapshot(t, townA))
}
