package client

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// relay is a TCP forwarder on loopback that behaves like a rural mobile
// link: it moves rate bytes/s each way, cuts each connection once cutEvery
// bytes (both ways together) have crossed it, and, when stallAfter > 0,
// stops forwarding after that many bytes without closing anything.
type relay struct {
	ln         net.Listener
	target     string
	rate       int   // bytes per second each way; 0: unthrottled
	cutEvery   int64 // 0: never cut
	stallAfter int64 // 0: never stall
	moved      atomic.Int64
	cuts       atomic.Int32
	mu         sync.Mutex
	open       []net.Conn
	done       chan struct{}
}

func startRelay(t testing.TB, target string, rate int, cutEvery, stallAfter int64) *relay {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &relay{ln: ln, target: target, rate: rate, cutEvery: cutEvery, stallAfter: stallAfter, done: make(chan struct{})}
	t.Cleanup(r.close)
	go r.serve()
	return r
}

func (r *relay) addr() string { return r.ln.Addr().String() }

func (r *relay) close() {
	close(r.done)
	r.ln.Close()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.open {
		c.Close()
	}
}

func (r *relay) serve() {
	for {
		down, err := r.ln.Accept()
		if err != nil {
			return
		}
		up, err := net.Dial("tcp", r.target)
		if err != nil {
			down.Close()
			continue
		}
		r.mu.Lock()
		r.open = append(r.open, down, up)
		r.mu.Unlock()
		l := &link{r: r, a: down, b: up}
		go l.pipe(up, down)
		go l.pipe(down, up)
	}
}

// link is one relayed connection; moved counts its bytes both ways.
type link struct {
	r     *relay
	a, b  net.Conn
	moved atomic.Int64
	once  sync.Once
}

// end closes both sides; a cut counts as one.
func (l *link) end(cut bool) {
	l.once.Do(func() {
		if cut {
			l.r.cuts.Add(1)
		}
		l.a.Close()
		l.b.Close()
	})
}

// pipe copies src to dst in small slices at the relay's rate.
func (l *link) pipe(dst, src net.Conn) {
	buf := make([]byte, 256)
	for {
		n, err := src.Read(buf)
		if n > 0 && !l.forward(dst, buf[:n]) {
			return
		}
		if err != nil { // EOF or a closed side: pass the close on
			l.end(false)
			return
		}
	}
}

// forward writes p unless the link is cut or stalled on the way.
func (l *link) forward(dst net.Conn, p []byte) bool {
	if l.r.stallAfter > 0 && l.moved.Load()+int64(len(p)) > l.r.stallAfter {
		<-l.r.done // the link goes silent: no byte, no reset, until the test ends
		return false
	}
	if l.r.cutEvery > 0 && l.moved.Load()+int64(len(p)) > l.r.cutEvery {
		p = p[:l.r.cutEvery-l.moved.Load()]
		dst.Write(p)
		l.r.moved.Add(int64(len(p)))
		l.end(true)
		return false
	}
	if l.r.rate > 0 {
		time.Sleep(time.Duration(len(p)) * time.Second / time.Duration(l.r.rate))
	}
	if _, err := dst.Write(p); err != nil {
		l.end(false)
		return false
	}
	l.moved.Add(int64(len(p)))
	l.r.moved.Add(int64(len(p)))
	return true
}

// A link that goes silent without a reset (a 2G cell that drops the
// device's traffic) must fail the sync within the idle timeout, not after
// minutes: the officer can move and try again.
func TestStalledLinkFailsWithinIdleTimeout(t *testing.T) {
	c := newCounty(t)
	a := c.enrolled(t, townA)
	addPersons(t, a, 50, 0)
	mustSync(t, a)
	b := c.enrolled(t, townA)
	r := startRelay(t, c.url[len("http://"):], 0, 0, 2000)
	b.SetSyncState(context.Background(), map[string]string{keyServer: "http://" + r.addr()})
	const idle = 500 * time.Millisecond
	opt := Options{Retries: -1, IdleTimeout: idle, Timeout: 20 * time.Second}
	start := time.Now()
	_, err := Sync(context.Background(), b, nil, opt)
	took := time.Since(start)
	var ne *NetworkError
	if !errors.As(err, &ne) {
		t.Fatalf("stalled sync: want a network error, got %v after %v", err, took)
	}
	t.Logf("stalled link failed the sync after %v (idle timeout %v)", took.Round(time.Millisecond), idle)
	if took > 4*idle {
		t.Fatalf("stall noticed after %v, idle timeout %v", took, idle)
	}
}
