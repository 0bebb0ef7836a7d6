package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// A pull reply cut short by a dropping link need not be paid for twice:
// the server keeps each device's last page, encoded, under an ETag, and a
// retry of the same request that says how much it already has (Range:
// bytes=N-, If-Range: the ETag) gets only the rest (206). A page is also
// fitted to the device's MaxBytes, so a device on a bad link moves small
// pages.

// encodedPage is a pull reply already encoded, with its ETag.
type encodedPage struct {
	data []byte
	etag string
}

// pageCache holds the last page sent to each device, within a byte budget.
type pageCache struct {
	mu    sync.Mutex
	pages map[string]*cachedPage // by device
	bytes int
	max   int
}

type cachedPage struct {
	encodedPage
	request [sha256.Size]byte // the request body it answered
	at      time.Time
}

// pageCacheBytes bounds the memory kept for resumable pages.
const pageCacheBytes = 64 << 20

// pageTTL is how long a page may be resumed: a retry comes within minutes.
const pageTTL = 10 * time.Minute

func (c *pageCache) put(device string, body []byte, p encodedPage, now time.Time) {
	if len(p.data) > c.max/8 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pages == nil {
		c.pages = map[string]*cachedPage{}
	}
	c.drop(device)
	for c.bytes+len(p.data) > c.max {
		c.drop(c.oldest())
	}
	c.pages[device] = &cachedPage{encodedPage: p, request: sha256.Sum256(body), at: now}
	c.bytes += len(p.data)
}

func (c *pageCache) drop(device string) {
	if old := c.pages[device]; old != nil {
		c.bytes -= len(old.data)
		delete(c.pages, device)
	}
}

func (c *pageCache) oldest() string {
	var dev string
	var at time.Time
	for d, p := range c.pages {
		if dev == "" || p.at.Before(at) {
			dev, at = d, p.at
		}
	}
	return dev
}

// rest returns what follows offset in the device's cached page when the
// request is the one it answered and the ETag matches.
func (c *pageCache) rest(device string, body []byte, etag string, offset int, now time.Time) ([]byte, int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.pages[device]
	if p == nil || p.etag != etag || p.request != sha256.Sum256(body) || now.Sub(p.at) > pageTTL ||
		offset <= 0 || offset >= len(p.data) {
		return nil, 0, false
	}
	return p.data[offset:], len(p.data), true
}

// resume finds the rest of a retried pull's cached page. It sets the
// headers of a 206 answer (Content-Range, ETag) and returns the bytes to
// write, or false when the page cannot be resumed.
func (s *Server) resume(w http.ResponseWriter, r *http.Request, d *device, body []byte) ([]byte, bool) {
	etag := r.Header.Get("If-Range")
	from, ok := strings.CutPrefix(r.Header.Get("Range"), "bytes=")
	from, ok2 := strings.CutSuffix(from, "-")
	offset, err := strconv.Atoi(from)
	if etag == "" || !ok || !ok2 || err != nil {
		return nil, false
	}
	rest, total, ok := s.pages.rest(d.ID, body, etag, offset, s.now())
	if !ok {
		return nil, false
	}
	w.Header().Set("Content-Type", wire.ContentType)
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Range", "bytes "+strconv.Itoa(offset)+"-"+strconv.Itoa(total-1)+"/"+strconv.Itoa(total))
	w.WriteHeader(http.StatusPartialContent)
	s.log.Debug("pull resumed", "device", d.ID, "from", offset, "of", total)
	return rest, true
}

// fitPull builds the reply after cursor, as large as req.MaxBytes allows
// once encoded: a page too large is rebuilt with fewer changes, one too
// small (under half) with more, each sized from the ratio the last one
// encoded at.
func (s *Server) fitPull(ctx context.Context, d *device, req *wire.PullRequest) (*fittedPage, error) {
	plain := wire.MaxPullBytes
	if req.MaxBytes > 0 {
		plain = min(plain, s.ratio.plainFor(req.MaxBytes))
	}
	var best, last *fittedPage
	for try := 0; try < 4; try++ {
		p, err := s.buildPage(ctx, d, req, plain)
		if err != nil || req.MaxBytes <= 0 {
			return p, err
		}
		last = p
		if len(p.data) <= req.MaxBytes || p.changes <= 1 {
			best = p
			if !p.rep.More || len(p.data) >= req.MaxBytes/2 {
				return p, nil
			}
		} else if best != nil {
			return best, nil
		}
		plain = max(1, plain*req.MaxBytes/len(p.data)*9/10)
	}
	if best != nil {
		return best, nil
	}
	return last, nil
}

// fittedPage is one encoded pull reply.
type fittedPage struct {
	data    []byte
	rep     *wire.PullReply
	changes int
}

func (s *Server) buildPage(ctx context.Context, d *device, req *wire.PullRequest, plain int) (*fittedPage, error) {
	if err := s.notePulled(ctx, d, req.Cursor); err != nil {
		return nil, err
	}
	changes, rep, err := s.pull(ctx, d, req.Cursor, req.Limit, plain)
	if err != nil {
		return nil, err
	}
	rep.Changes = wire.EncodeChanges(changes)
	data, err := wire.Marshal(wire.TypePullReply, rep)
	s.ratio.learn(plainSize(changes), len(data))
	return &fittedPage{data: data, rep: rep, changes: len(changes)}, err
}

// plainSize approximates the bytes of changes before encoding.
func plainSize(changes []*store.Change) int {
	size := 0
	for _, c := range changes {
		size += 64 // ids, clock, kind
		for k, v := range c.Fields {
			size += len(k) + len(v)
		}
	}
	return size
}

// encodeRatio is the encoded size of a recent page over its plain size, so
// that the first build of a page usually fits: long notes in Chinese
// compress far less than a ledger's short fields.
type encodeRatio struct{ permille atomic.Int64 }

func (r *encodeRatio) learn(plain, encoded int) {
	if plain >= 4096 {
		r.permille.Store(int64(max(50, encoded*1000/plain)))
	}
}

// plainFor is the plain bytes expected to encode to about maxBytes.
func (r *encodeRatio) plainFor(maxBytes int) int {
	pm := r.permille.Load()
	if pm == 0 {
		pm = 250 // gzip does about 4:1 on a ledger
	}
	return int(int64(maxBytes) * 900 / pm)
}

func etagOf(data []byte) string {
	h := sha256.Sum256(data)
	return `"` + hex.EncodeToString(h[:12]) + `"`
}
