package main

import (
	"context"
	"net"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"rehabdesk/sync/client"
)

// proxy forwards TCP to a real countyd, throttled to rate bytes/s each way,
// cutting its first cuts connections after cutAfter bytes from the server.
type proxy struct {
	ln       net.Listener
	target   string
	rate     int
	cuts     atomic.Int32
	cutAfter int64
}

func startProxy(t *testing.T, target string, rate int, cuts int32, cutAfter int64) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target, rate: rate, cutAfter: cutAfter}
	p.cuts.Store(cuts)
	t.Cleanup(func() { ln.Close() })
	go p.serve()
	return p
}

func (p *proxy) serve() {
	for {
		down, err := p.ln.Accept()
		if err != nil {
			return
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			down.Close()
			continue
		}
		limit := int64(-1)
		if p.cuts.Add(-1) >= 0 {
			limit = p.cutAfter
		}
		go p.pipe(up, down, -1)
		go p.pipe(down, up, limit)
	}
}

// pipe copies src to dst slowly; after limit bytes (limit >= 0) it closes
// both ends, as a dropped mobile link does.
func (p *proxy) pipe(dst, src net.Conn, limit int64) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 512)
	var moved int64
	for {
		n, err := src.Read(buf)
		if limit >= 0 && moved+int64(n) > limit {
			n = int(limit - moved)
			dst.Write(buf[:n])
			return
		}
		if n > 0 {
			time.Sleep(time.Duration(n) * time.Second / time.Duration(p.rate))
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
			moved += int64(n)
		}
		if err != nil { // io.EOF or a closed peer: done either way
			return
		}
	}
}

func TestSyncThroughACuttingThrottlingProxy(t *testing.T) {
	if testing.Short() {
		t.Skip("builds countyd and syncs at 50 kbit/s")
	}
	ctx := context.Background()
	c := buildCountyd(t)
	c.run("township", "add", "--code", township)
	c.start()
	defer func() { c.proc.Process.Kill(); c.proc.Wait() }()
	px := startProxy(t, c.addr, 50000/8, 4, 400)
	dir := t.TempDir()
	a := newStore(t, filepath.Join(dir, "a.db"))
	defer a.Close()
	c.enroll(a)
	// Route device A through the proxy from now on.
	if err := a.SetSyncState(ctx, map[string]string{"server": "http://" + px.ln.Addr().String()}); err != nil {
		t.Fatal(err)
	}
	addPersons(t, a, 80, 0)
	opt := client.Options{PushPage: 20, PullPage: 20, Retries: 8, Backoff: 20 * time.Millisecond}
	start := time.Now()
	res, err := client.Sync(ctx, a, nil, opt)
	if err != nil {
		t.Fatalf("sync through the proxy: %v", err)
	}
	if px.cuts.Load() > 0 {
		t.Fatal("the proxy cut fewer connections than planned")
	}
	t.Logf("pushed %d (+%d acknowledged again after a cut reply) through 4 cut connections at 50 kbit/s in %v (%d bytes sent)", res.Pushed, res.Duplicates, time.Since(start).Round(time.Millisecond), res.Sent)
	b := newStore(t, filepath.Join(dir, "b.db"))
	c.enroll(b)
	mustSync(t, b)
	mustSync(t, a)
	b.Close()
	c.stop()
	checkConverged(t, c, a, filepath.Join(dir, "b.db"), 80)
}
