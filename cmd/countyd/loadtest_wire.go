package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"
	"time"

	"rehabdesk/internal/version"
	"rehabdesk/sync/wire"
)

// loadClient speaks the sync protocol over HTTP for many simulated devices
// at once, timing every request by kind.
type loadClient struct {
	http *http.Client
	lat  *latencies
}

func newLoadClient(conns int) *loadClient {
	tr := &http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2, IdleConnTimeout: time.Minute}
	return &loadClient{http: &http.Client{Transport: tr, Timeout: 5 * time.Minute}, lat: newLatencies()}
}

// call posts one request and decodes its reply, retrying a refusal the
// server calls temporary (a busy database) a few times, as a device does.
// Each attempt is timed under kind.
func (lc *loadClient) call(ctx context.Context, kind, url, token string, rt wire.Type, req any, pt wire.Type, rep any) error {
	body, err := wire.Marshal(rt, req)
	if err != nil {
		return err
	}
	wait := 50 * time.Millisecond
	for attempt := 0; ; attempt++ {
		start := time.Now()
		err = lc.once(ctx, url, token, body, pt, rep)
		lc.lat.add(kind, time.Since(start), err != nil)
		var we *wire.Error
		if err == nil || attempt >= 5 || !errors.As(err, &we) || !we.Temporary() {
			return err
		}
		time.Sleep(wait)
		wait *= 2
	}
}

func (lc *loadClient) once(ctx context.Context, url, token string, body []byte, pt wire.Type, rep any) error {
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	r.Header.Set("Content-Type", wire.ContentType)
	r.Header.Set(wire.VersionHeader, version.Get().Short())
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := lc.http.Do(r)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		var er wire.ErrorReply
		if err := wire.Unmarshal(data, wire.TypeError, &er); err != nil {
			return fmt.Errorf("%s: HTTP %d", url, resp.StatusCode)
		}
		return &wire.Error{Code: er.Code, Detail: er.Detail}
	}
	return wire.Unmarshal(data, pt, rep)
}

// latencies keeps every request's duration by kind.
type latencies struct {
	mu     sync.Mutex
	byKind map[string][]time.Duration
	failed map[string]int
}

func newLatencies() *latencies {
	return &latencies{byKind: map[string][]time.Duration{}, failed: map[string]int{}}
}

func (l *latencies) add(kind string, d time.Duration, failed bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.byKind[kind] = append(l.byKind[kind], d)
	if failed {
		l.failed[kind]++
	}
}

// take returns the figures gathered since the last take and starts afresh,
// so that each phase reports its own requests.
func (l *latencies) take() []kindStats {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []kindStats
	for kind, ds := range l.byKind {
		out = append(out, statsOf(kind, ds, l.failed[kind]))
	}
	l.byKind, l.failed = map[string][]time.Duration{}, map[string]int{}
	sort.Slice(out, func(i, j int) bool { return out[i].Kind < out[j].Kind })
	return out
}

// kindStats sums up the requests of one kind: latency percentiles in ms.
type kindStats struct {
	Kind     string  `json:"kind"`
	Requests int     `json:"requests"`
	Failed   int     `json:"failed"`
	P50      float64 `json:"p50_ms"`
	P99      float64 `json:"p99_ms"`
	Max      float64 `json:"max_ms"`
}

func statsOf(kind string, ds []time.Duration, failed int) kindStats {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	ms := func(q float64) float64 {
		i := min(int(q*float64(len(ds))), len(ds)-1)
		return float64(ds[i].Microseconds()) / 1000
	}
	return kindStats{Kind: kind, Requests: len(ds), Failed: failed, P50: ms(0.50), P99: ms(0.99), Max: ms(1)}
}
