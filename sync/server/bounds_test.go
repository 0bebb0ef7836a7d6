package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"runtime"
	"sync"
	"testing"
	"time"

	"rehabdesk/sync/wire"
)

// bomb is an envelope of type t whose gzip stream inflates to head, then
// n copies of unit, then tail: tens of megabytes from tens of kilobytes.
func bomb(t testing.TB, typ wire.Type, head, unit string, n int, tail string) []byte {
	t.Helper()
	var buf bytes.Buffer
	buf.WriteString(wire.Magic)
	buf.Write([]byte{wire.Version, byte(typ)})
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	io.WriteString(zw, head)
	chunk := bytes.Repeat([]byte(unit), 1<<20/len(unit))
	for left := n; left > 0; left -= 1 << 20 / len(unit) {
		zw.Write(chunk[:min(len(chunk), left*len(unit))])
	}
	io.WriteString(zw, tail)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// heapPeak samples the heap in use until stop is closed and returns the
// highest reading.
func heapPeak(stop <-chan struct{}) <-chan uint64 {
	out := make(chan uint64, 1)
	go func() {
		var peak uint64
		var ms runtime.MemStats
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-stop:
				out <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return out
}

func heapInuse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// TestBombsKeepTheHeapBounded sends what an attacker on the network can
// send cheaply: sixteen 64 KB enrollments at once that each inflate to 64 MB
// of one JSON string (no token needed), and with a real device token a
// 63 KB push whose one array holds 31 million entries. Before the limits
// per message type these took the server to gigabytes; now each is refused
// before it is decoded and the heap barely moves.
func TestBombsKeepTheHeapBounded(t *testing.T) {
	f := newFixture(t)
	token := f.enroll("devA", townA, false)
	enroll := bomb(t, wire.TypeEnrollRequest, `{"code":"`, "A", 64<<20, `","township":"520102016","device":"x"}`)
	push := bomb(t, wire.TypePushRequest, `{"changes":{"w":[`, "0,", 31_000_000, `0]}}`)
	t.Logf("enroll bomb %d KB, push bomb %d KB", len(enroll)>>10, len(push)>>10)

	base := heapInuse()
	stop := make(chan struct{})
	peak := heapPeak(stop)
	var wg sync.WaitGroup
	statuses := make(chan int, 32)
	send := func(path, token string, body []byte) {
		defer wg.Done()
		statuses <- f.postStatus(path, token, body)
	}
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go send(wire.PathEnroll, "", enroll)
	}
	wg.Add(1)
	go send(wire.PathPush, token, push)
	wg.Wait()
	close(stop)
	close(statuses)
	growth := (int64(<-peak) - int64(base)) >> 20
	t.Logf("heap in use: %d MB before, peak %d MB above it", base>>20, growth)
	for st := range statuses {
		if st == http.StatusOK {
			t.Error("a bomb was accepted")
		}
	}
	// Today a single one of these bombs costs far more than this.
	if growth > 64 {
		t.Errorf("the heap grew by %d MB under the bombs, want at most 64 MB", growth)
	}
}

// postStatus sends a raw body and returns the HTTP status only.
func (f *fixture) postStatus(path, token string, body []byte) int {
	hreq, _ := http.NewRequest(http.MethodPost, f.url+path, bytes.NewReader(body))
	if token != "" {
		hreq.Header.Set("Authorization", "Bearer "+token)
	}
	hrep, err := http.DefaultClient.Do(hreq)
	if err != nil {
		f.t.Error(err)
		return 0
	}
	defer hrep.Body.Close()
	io.Copy(io.Discard, hrep.Body)
	return hrep.StatusCode
}

// Townships behind one NAT share an address: unknown tokens from it are
// slowed down, but never a device with a real token; and a device that
// sends garbage is slowed down alone, not its neighbours.
func TestFailuresAreCountedPerTokenNotPerAddress(t *testing.T) {
	f := newFixture(t)
	good := f.enroll("devA", townA, false)
	noisy := f.enroll("devB", townA, false)
	status := func(token string, body []byte) int { return f.postStatus(wire.PathStatus, token, body) }
	ok, err := wire.Marshal(wire.TypeStatusRequest, wire.StatusRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for range 10 {
		status("rdt1.guessed", ok)
	}
	if st := status("rdt1.guessed", ok); st != http.StatusTooManyRequests {
		t.Fatalf("the 11th unknown token from one address: HTTP %d, want 429", st)
	}
	if st := f.postStatus(wire.PathEnroll, "", bomb(t, wire.TypeEnrollRequest, `{"code":"`, "A", 1<<20, `"}`)); st != http.StatusTooManyRequests {
		t.Fatalf("enrollment from a guessing address: HTTP %d, want 429 before reading it", st)
	}
	if st := status(good, ok); st != http.StatusOK {
		t.Fatalf("a real device behind the guessing address: HTTP %d", st)
	}
	for range 10 {
		status(noisy, []byte("RDSY garbage"))
	}
	if st := status(noisy, ok); st != http.StatusTooManyRequests {
		t.Fatalf("a device after 10 malformed requests: HTTP %d, want 429", st)
	}
	if st := status(good, ok); st != http.StatusOK {
		t.Fatalf("its neighbour: HTTP %d", st)
	}
}

// However many requests arrive at once, only Options.Decodes are decoded
// at a time; the others wait for a slot instead of each taking memory.
func TestRequestsWaitForADecodeSlot(t *testing.T) {
	f := newFixture(t)
	token := f.enroll("devA", townA, false)
	f.srv.decodes = make(chan struct{}, 1)
	f.srv.decodes <- struct{}{} // the only slot is busy
	body, err := wire.Marshal(wire.TypeStatusRequest, wire.StatusRequest{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan int)
	go func() { done <- f.postStatus(wire.PathStatus, token, body) }()
	select {
	case st := <-done:
		t.Fatalf("answered (HTTP %d) while no decode slot was free", st)
	case <-time.After(300 * time.Millisecond):
	}
	<-f.srv.decodes
	if st := <-done; st != http.StatusOK {
		t.Fatalf("HTTP %d once the slot was free", st)
	}
}
