package client

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"testing"
	"time"

	"rehabdesk/internal/ledgertest"
	"rehabdesk/store/ledger"
	"rehabdesk/sync/wire"
)

// TestFirstSyncThroughACuttingThrottlingLink is a new device's first sync
// of a township through a relay that moves 50 kbit/s and drops the
// connection every 30 KB, as rural 2G/3G links do. It must finish, hold
// what the server holds, and move at most 1.5 times the bytes of the same
// sync on a clean link: a page cut midway is resumed, not fetched again.
// The default run is a 1,000-person township cut every 10 KB at 400 kbit/s;
// REHABDESK_FULL_RELAY=1 runs the 3,000 persons at 50 kbit/s of issue 13
// (a few minutes; figures in BENCHMARKS.md).
func TestFirstSyncThroughACuttingThrottlingLink(t *testing.T) {
	persons, rate, cutEvery := 1000, 400000/8, int64(10000)
	if os.Getenv("REHABDESK_FULL_RELAY") != "" {
		persons, rate, cutEvery = 3000, 50000/8, 30000
	}
	c := newCounty(t)
	a := c.enrolled(t, townA)
	var csv bytes.Buffer
	if err := ledgertest.Generate(&csv, persons, 7); err != nil {
		t.Fatal(err)
	}
	if _, err := ledger.ImportBytes(context.Background(), a, csv.Bytes(), ledger.Options{}); err != nil {
		t.Fatal(err)
	}
	mustSync(t, a)
	clean := mustSync(t, c.enrolled(t, townA))

	b := c.enrolled(t, townA)
	r := startRelay(t, c.url[len("http://"):], rate, cutEvery, 0)
	b.SetSyncState(context.Background(), map[string]string{keyServer: "http://" + r.addr()})
	opt := Options{Retries: 20, Backoff: 10 * time.Millisecond, MaxBackoff: 100 * time.Millisecond, IdleTimeout: 10 * time.Second}
	start := time.Now()
	res, err := Sync(context.Background(), b, nil, opt)
	took := time.Since(start)
	if err != nil {
		t.Fatalf("sync through the relay (%d cuts): %v", r.cuts.Load(), err)
	}
	cleanBytes, cutBytes := clean.Sent+clean.Recv, res.Sent+res.Recv
	t.Logf("%d persons, %d changes: clean link %d bytes; relay at %d B/s cutting every %d B: %d bytes (%.2f×), %d cuts, %v",
		persons, res.Pulled, cleanBytes, rate, cutEvery, cutBytes, float64(cutBytes)/float64(cleanBytes), r.cuts.Load(), took.Round(time.Millisecond))
	if res.Pulled < clean.Pulled {
		t.Fatalf("pulled %d changes through the relay, %d on a clean link", res.Pulled, clean.Pulled)
	}
	if want := int32(cleanBytes/cutEvery) - 1; r.cuts.Load() < want {
		t.Fatalf("the relay cut %d times, want at least %d", r.cuts.Load(), want)
	}
	if cutBytes*2 > cleanBytes*3 {
		t.Fatalf("%d bytes through the cutting relay, over 1.5 × %d on a clean link", cutBytes, cleanBytes)
	}
	sameData(t, "device vs server", snapshot(t, b), c.snapshot(t, townA))
}

// A pull asks for pages of at most MaxBytes once encoded; the server fits
// each page to it (at least one change), and the pages together hold every
// change once.
func TestPullPagesFitTheirByteBound(t *testing.T) {
	c := newCounty(t)
	a := c.enrolled(t, townA)
	addPersons(t, a, 300, 0)
	mustSync(t, a)
	s, err := loadState(context.Background(), c.enrolled(t, townA))
	if err != nil {
		t.Fatal(err)
	}
	const maxBytes = 1500
	seen := map[string]bool{}
	pages := 0
	for cursor := int64(0); ; {
		pages++
		body, err := wire.Marshal(wire.TypePullRequest, wire.PullRequest{Cursor: cursor, MaxBytes: maxBytes})
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest(http.MethodPost, c.url+wire.PathPull, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+s.Token)
		hrep, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(hrep.Body)
		hrep.Body.Close()
		var rep wire.PullReply
		if err := wire.Unmarshal(data, wire.TypePullReply, &rep); err != nil {
			t.Fatal(err)
		}
		changes, err := rep.Changes.Changes()
		if err != nil {
			t.Fatal(err)
		}
		if len(data) > maxBytes && len(changes) > 1 {
			t.Fatalf("page %d: %d bytes, %d changes", pages, len(data), len(changes))
		}
		for _, ch := range changes {
			id := ch.HLC.String() + ch.Device
			if seen[id] {
				t.Fatalf("change %s sent twice", id)
			}
			seen[id] = true
		}
		if cursor = rep.Next; !rep.More {
			break
		}
	}
	if len(seen) != 301 || pages < 3 {
		t.Fatalf("%d changes in %d pages", len(seen), pages)
	}
}
