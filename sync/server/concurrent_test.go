package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"

	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// Two servers on one database (two countyd behind a load balancer, on one
// PostgreSQL; or two on one SQLite file) take pushes from several devices
// at once, each page to either server, while other devices pull from
// either server all along. Feed positions handed out by a sequence can
// commit out of order: a device that pulled up to 1005 would then never
// see a 1003 committed after it. Every change must reach every device.
func TestTwoServersConcurrentPushesReachEveryDevice(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		pair := twoServers(t, b)
		urls := pair.url
		const writers, readers, pages, perPage = 4, 3, 12, 15
		toks := make([]string, writers+readers)
		for i := range toks {
			f := &fixture{t: t, srv: pair.srv[i%2], url: urls[i%2]}
			toks[i] = f.enrollReply(devName(i), townA, false).Token
		}
		var pushed sync.WaitGroup
		errs := make(chan error, writers+2*(writers+readers))
		for w := 0; w < writers; w++ {
			pushed.Add(1)
			go func() {
				defer pushed.Done()
				errs <- pushPages(urls, toks[w], w, pages, perPage)
			}()
		}
		done := make(chan struct{})
		got := make([]map[string]bool, writers+readers)
		var pulling sync.WaitGroup
		for r := range toks {
			got[r] = map[string]bool{}
			pulling.Add(1)
			go func() {
				defer pulling.Done()
				errs <- pullUntil(urls, toks[r], r, done, got[r])
			}()
		}
		pushed.Wait()
		close(done)
		pulling.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		for r, seen := range got {
			for w := 0; w < writers; w++ {
				for i := 0; i < pages*perPage; i++ {
					if id := recID(w, i); w != r && !seen[id] {
						t.Fatalf("device %d never received %s (of %d writers × %d changes; it got %d)", r, id, writers, pages*perPage, len(seen))
					}
				}
			}
		}
	})
}

// serverPair is two servers on one database, each served on loopback.
type serverPair struct {
	srv [2]*Server
	url [2]string
}

// twoServers opens two servers on one new database and serves each.
func twoServers(t *testing.T, b backend) serverPair {
	t.Helper()
	db := newTestDB(t, b)
	var p serverPair
	for i := range p.srv {
		srv, err := db.open(context.Background(), Options{MarkerFile: filepath.Join(db.dir, fmt.Sprintf("marker%d", i))})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { srv.Close() })
		if err := srv.AddTownship(context.Background(), townA); err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(srv.Handler())
		t.Cleanup(hs.Close)
		p.srv[i], p.url[i] = srv, hs.URL
	}
	return p
}

func devName(i int) string                   { return fmt.Sprintf("dev%02d", i) }
func recID(w, i int) string                  { return fmt.Sprintf("w%d-r%04d", w, i) }
func serverFor(urls [2]string, n int) string { return urls[n%2] }

// pushPages pushes pages of new persons, each page to the other server.
func pushPages(urls [2]string, tok string, w, pages, perPage int) error {
	for p := 0; p < pages; p++ {
		var cs []*store.Change
		for j := 0; j < perPage; j++ {
			i := p*perPage + j
			cs = append(cs, &store.Change{HLC: store.HLC{Wall: 1764400000000 + int64(i)*1000}, Device: devName(w), Kind: store.KindPerson,
				EntityID: recID(w, i), PersonID: recID(w, i), Township: townA, User: "officer",
				Fields: map[string]string{"name": "张三"}, Bases: map[string][]string{}})
		}
		var rep wire.PushReply
		err := call(serverFor(urls, p+w), wire.PathPush, tok, wire.TypePushRequest, wire.PushRequest{Changes: wire.EncodeChanges(cs)}, wire.TypePushReply, &rep)
		if err != nil {
			return err
		}
		if rep.Accepted != perPage {
			return fmt.Errorf("writer %d page %d: %+v", w, p, rep)
		}
	}
	return nil
}

// pullUntil pulls from alternate servers, from where the last pull ended,
// until done is closed; then once more to the end of the feed.
func pullUntil(urls [2]string, tok string, r int, done <-chan struct{}, seen map[string]bool) error {
	cursor := int64(0)
	for n := 0; ; n++ {
		last := false
		select {
		case <-done:
			last = true
		default:
		}
		for more := true; more; n++ {
			var rep wire.PullReply
			err := call(serverFor(urls, n+r), wire.PathPull, tok, wire.TypePullRequest, wire.PullRequest{Cursor: cursor, Limit: 50}, wire.TypePullReply, &rep)
			if err != nil {
				return err
			}
			cs, err := rep.Changes.Changes()
			if err != nil {
				return err
			}
			for _, c := range cs {
				seen[c.EntityID] = true
			}
			cursor, more = rep.Next, rep.More
		}
		if last {
			return nil
		}
	}
}

// call sends one request; unlike fixture.post it may run off the test's
// goroutine.
func call(url, path, tok string, rt wire.Type, req any, pt wire.Type, rep any) error {
	body, err := wire.Marshal(rt, req)
	if err != nil {
		return err
	}
	hreq, err := http.NewRequest(http.MethodPost, url+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	hreq.Header.Set("Authorization", "Bearer "+tok)
	hrep, err := http.DefaultClient.Do(hreq)
	if err != nil {
		return err
	}
	defer hrep.Body.Close()
	data, err := io.ReadAll(hrep.Body)
	if err != nil {
		return err
	}
	if hrep.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: HTTP %d: %s", path, hrep.StatusCode, data)
	}
	return wire.Unmarshal(data, pt, rep)
}
