package client

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// Page sizes, in encoded bytes. A page cut by a dropping link costs what
// arrived of it (pull replies are resumed, pushes are sent again), so
// after a failure pages get small; on a steady link they grow to cut the
// per-request overhead.
const (
	DefaultPageBytes = 64 << 10
	MinPageBytes     = 4 << 10
	MaxPageBytes     = 1 << 20
)

// pageSize adapts the page size to the link. Pulls fetch the next page
// while one merges, so it is shared under a lock.
type pageSize struct {
	mu    sync.Mutex
	bytes int
	clean int // requests without a failure since the last change of size
}

func (p *pageSize) set(n int) {
	if n <= 0 {
		n = DefaultPageBytes
	}
	p.bytes = min(max(n, MinPageBytes), MaxPageBytes)
}

func (p *pageSize) get() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.bytes
}

// failed halves the size after a cut or a stall.
func (p *pageSize) failed() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.bytes, p.clean = max(p.bytes/2, MinPageBytes), 0
}

// went doubles the size after two requests in a row went through at once.
func (p *pageSize) went() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.clean++; p.clean >= 2 {
		p.bytes, p.clean = min(p.bytes*2, MaxPageBytes), 0
	}
}

// fitPush trims a push page to the current page size once encoded,
// keeping at least one change. It returns the encoded request too.
func (c *conn) fitPush(page []*store.Change) ([]*store.Change, []byte, error) {
	limit := c.pages.get()
	page = page[:plainFit(page, 4*limit)] // gzip does about 4:1 or better
	for {
		body, err := wire.Marshal(wire.TypePushRequest, wire.PushRequest{Changes: wire.EncodeChanges(page)})
		if err != nil || len(body) <= limit || len(page) == 1 {
			return page, body, err
		}
		page = page[:max(1, len(page)*limit/len(body)*9/10)]
	}
}

// plainFit counts the changes whose values fit within plain bytes, at
// least one: encoding a page of long notes only to trim it is slow.
func plainFit(page []*store.Change, plain int) int {
	size := 0
	for i, c := range page {
		size += 64 // ids, clock, kind
		for k, v := range c.Fields {
			size += len(k) + len(v)
		}
		if size > plain {
			return max(i, 1)
		}
	}
	return len(page)
}

// partial is what arrived of a pull reply before the link dropped, and its
// ETag: the retry asks for the rest only (see server/page.go).
type partial struct {
	etag string
	data []byte
	// trusted: no resume of this reply was refused yet. A server that
	// answers a resume with the whole page (it lost its copy) gets a new,
	// smaller request next time instead.
	trusted bool
}

// ask adds the resume headers to a retried request.
func (p *partial) ask(r *http.Request) {
	if p.etag != "" && len(p.data) > 0 {
		r.Header.Set("Range", "bytes="+strconv.Itoa(len(p.data))+"-")
		r.Header.Set("If-Range", p.etag)
	}
}

// join puts a reply together: a 206 continues what arrived before. A reply
// cut short (readErr) with an ETag is kept for the next attempt.
func (p *partial) join(r *http.Response, data []byte, readErr error) (int, []byte, error) {
	status, etag := r.StatusCode, r.Header.Get("ETag")
	trusted := status == http.StatusPartialContent || len(p.data) == 0
	if status == http.StatusPartialContent {
		want := "bytes " + strconv.Itoa(len(p.data)) + "-"
		if etag != p.etag || !strings.HasPrefix(r.Header.Get("Content-Range"), want) {
			*p = partial{}
			return 0, nil, fmt.Errorf("resumed reply does not continue the one cut short")
		}
		data, status = append(p.data[:len(p.data):len(p.data)], data...), http.StatusOK
	}
	*p = partial{}
	if readErr != nil && status == http.StatusOK && etag != "" {
		*p = partial{etag: etag, data: data, trusted: trusted}
	}
	return status, data, nil
}
