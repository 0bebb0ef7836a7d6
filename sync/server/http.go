package server

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"rehabdesk/sync/wire"
)

// Handler serves the sync protocol (see package wire).
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+wire.PathEnroll, s.serveEnroll)
	mux.HandleFunc("POST "+wire.PathPush, s.authed(wire.TypePushRequest, s.servePush))
	mux.HandleFunc("POST "+wire.PathPull, s.authed(wire.TypePullRequest, s.servePull))
	mux.HandleFunc("POST "+wire.PathStatus, s.authed(wire.TypeStatusRequest, s.serveStatus))
	mux.HandleFunc("POST "+wire.PathAuditPush, s.authed(wire.TypeAuditPush, s.serveAuditPush))
	mux.HandleFunc("POST "+wire.PathAuditPull, s.authed(wire.TypeAuditPull, s.serveAuditPull))
	mux.HandleFunc("POST "+wire.PathBlobHave, s.authed(wire.TypeBlobHave, s.serveBlobHave))
	mux.HandleFunc("POST "+wire.PathBlobPut, s.authed(wire.TypeBlobPut, s.serveBlobPut))
	mux.HandleFunc("POST "+wire.PathBlobGet, s.authed(wire.TypeBlobGet, s.serveBlobGet))
	return mux
}

// readBody reads a request body within its message type's bound; an
// oversized one is refused before it is read whole.
func readBody(w http.ResponseWriter, r *http.Request, t wire.Type) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, int64(wire.LimitOf(t).Body)))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, &wire.Error{Code: wire.CodeTooLarge}
	}
	if err != nil {
		return nil, &wire.Error{Code: wire.CodeMalformed, Detail: "body: " + err.Error()}
	}
	return body, nil
}

func remoteOf(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// serveEnroll checks the address's failures before reading anything: the
// endpoint needs no token, so a remote address is all there is to key on.
func (s *Server) serveEnroll(w http.ResponseWriter, r *http.Request) {
	remote := remoteOf(r)
	if !s.limiter.allow(remote) {
		s.refuse(w, r, "", &wire.Error{Code: wire.CodeRateLimited})
		return
	}
	rep, err := s.enrollBody(w, r, remote)
	if err != nil {
		s.refuse(w, r, "", err)
		return
	}
	s.reply(w, wire.TypeEnrollReply, rep)
}

func (s *Server) enrollBody(w http.ResponseWriter, r *http.Request, remote string) (*wire.EnrollReply, error) {
	release, err := s.decodeSlot(r.Context())
	if err != nil {
		return nil, err
	}
	defer release()
	var req wire.EnrollRequest
	body, err := readBody(w, r, wire.TypeEnrollRequest)
	if err == nil {
		err = wire.Unmarshal(body, wire.TypeEnrollRequest, &req)
	}
	if err != nil {
		s.limiter.fail(remote)
		return nil, err
	}
	return s.Enroll(r.Context(), remote, &req)
}

// authedFunc handles a decoded, authenticated request body.
type authedFunc func(ctx context.Context, d *device, body []byte) (wire.Type, any, error)

// authed checks the bearer token before reading the body, so a revoked or
// forged token costs the server nothing more than one lookup. Failures are
// counted per token: a device that sends garbage is slowed down alone, not
// every township behind the same address.
func (s *Server) authed(t wire.Type, fn authedFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || token == "" {
			s.refuse(w, r, "", &wire.Error{Code: wire.CodeUnauthorized})
			return
		}
		hash := wire.TokenHashHex(token)
		if !s.limiter.allow(tokenKey(hash)) {
			s.refuse(w, r, "", &wire.Error{Code: wire.CodeRateLimited})
			return
		}
		d, err := s.authenticate(r.Context(), hash, remoteOf(r), r.Header.Get(wire.VersionHeader))
		if err != nil {
			s.refuse(w, r, "", err)
			return
		}
		data, in, err := s.handleAuthed(w, r, t, d, tokenKey(hash), fn)
		if err != nil {
			s.refuse(w, r, d.ID, err)
			return
		}
		w.Header().Set("Content-Type", wire.ContentType)
		w.Write(data)
		s.log.Debug("request", "path", r.URL.Path, "device", d.ID, "in", in, "out", len(data), "ms", time.Since(start).Milliseconds())
	}
}

// handleAuthed reads, decodes and answers a request in one of the bounded
// decode slots, and returns the encoded reply (written after the slot is
// free: a slow link holds no slot) and the request's size.
func (s *Server) handleAuthed(w http.ResponseWriter, r *http.Request, t wire.Type, d *device, key string, fn authedFunc) ([]byte, int, error) {
	body, err := readBody(w, r, t)
	if err != nil {
		s.limiter.fail(key)
		return nil, 0, err
	}
	release, err := s.decodeSlot(r.Context())
	if err != nil {
		return nil, len(body), err
	}
	defer release()
	if _, err := wire.PeekType(body); err != nil {
		s.limiter.fail(key)
		return nil, len(body), err
	}
	if t == wire.TypePullRequest {
		if rest, ok := s.resume(w, r, d, body); ok {
			return rest, len(body), nil
		}
	}
	rt, rep, err := fn(r.Context(), d, body)
	if err != nil {
		if c := wire.AsError(err).Code; c == wire.CodeMalformed || c == wire.CodeTooLarge {
			s.limiter.fail(key)
		}
		return nil, len(body), err
	}
	if p, ok := rep.(*encodedPage); ok { // a pull page, encoded to fit its size
		w.Header().Set("ETag", p.etag)
		return p.data, len(body), nil
	}
	data, err := wire.Marshal(rt, rep)
	return data, len(body), err
}

func tokenKey(hash string) string { return "token:" + hash }

// decodeSlot waits for one of the server's decode slots, so that however
// many requests arrive at once, only a few are inflated and decoded at a
// time and memory stays bounded. The release function frees the slot.
func (s *Server) decodeSlot(ctx context.Context) (func(), error) {
	select {
	case s.decodes <- struct{}{}:
		return func() { <-s.decodes }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (s *Server) servePush(ctx context.Context, d *device, body []byte) (wire.Type, any, error) {
	var req wire.PushRequest
	if err := wire.Unmarshal(body, wire.TypePushRequest, &req); err != nil {
		return 0, nil, err
	}
	if req.Changes.Len() > wire.MaxPushPage {
		return 0, nil, &wire.Error{Code: wire.CodeTooLarge, Detail: "push page"}
	}
	changes, err := req.Changes.Changes()
	if err != nil {
		return 0, nil, err
	}
	// Once the page is received whole, store it even if the device hangs
	// up: its retry then costs a duplicate ack instead of a second upload.
	rep, err := s.Push(context.WithoutCancel(ctx), d, changes)
	return wire.TypePushReply, rep, err
}

func (s *Server) servePull(ctx context.Context, d *device, body []byte) (wire.Type, any, error) {
	var req wire.PullRequest
	if err := wire.Unmarshal(body, wire.TypePullRequest, &req); err != nil {
		return 0, nil, err
	}
	rewound, why, err := s.rewound(ctx, d, &req)
	if err != nil {
		return 0, nil, err
	}
	if rewound {
		s.log.Warn("device finds the server behind what it was told: database restored from an older copy? the device sends its changes again and re-reads the feed",
			"device", d.ID, "township", d.Township, "why", why, "cursor", req.Cursor)
		g := s.currentGen()
		return wire.TypePullReply, &wire.PullReply{Rewound: true, Server: g.ID, Epoch: g.Epoch, ServerTime: s.now().UnixMilli()}, nil
	}
	p, err := s.fitPull(ctx, d, &req)
	if err != nil {
		return 0, nil, err
	}
	s.log.Info("pull", "device", d.ID, "township", d.Township, "changes", p.changes, "bytes", len(p.data), "next", p.rep.Next, "more", p.rep.More)
	page := &encodedPage{data: p.data, etag: etagOf(p.data)}
	s.pages.put(d.ID, body, *page, s.now())
	return wire.TypePullReply, page, nil
}

func (s *Server) serveStatus(ctx context.Context, d *device, body []byte) (wire.Type, any, error) {
	var req wire.StatusRequest
	if err := wire.Unmarshal(body, wire.TypeStatusRequest, &req); err != nil {
		return 0, nil, err
	}
	scope, err := s.scope(ctx, d)
	if err != nil {
		return 0, nil, err
	}
	pending, err := s.Pending(ctx, d, req.Cursor)
	if err != nil {
		return 0, nil, err
	}
	return wire.TypeStatusReply, &wire.StatusReply{Township: d.Township, Scope: scope, Pending: pending, ServerTime: s.now().UnixMilli(),
		ExchangeKey: s.exchangeKey(d)}, nil
}

// reply writes an envelope and returns its size.
func (s *Server) reply(w http.ResponseWriter, t wire.Type, v any) int {
	data, err := wire.Marshal(t, v)
	if err != nil {
		s.log.Error("encode reply", "err", err)
		http.Error(w, "encode reply", http.StatusInternalServerError)
		return 0
	}
	w.Header().Set("Content-Type", wire.ContentType)
	w.Write(data)
	return len(data)
}

// refuse answers with a coded ErrorReply. Internal errors are logged in
// full and sent as "server" without detail.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, dev string, err error) {
	we := wire.AsError(err)
	if we.Code == wire.CodeServer {
		s.log.Error("request failed", "path", r.URL.Path, "device", dev, "err", err)
		we = &wire.Error{Code: wire.CodeServer}
	} else if we.Code == wire.CodeMalformed || we.Code == wire.CodeTooLarge || we.Code == wire.CodeVersion {
		s.log.Warn("request refused", "path", r.URL.Path, "device", dev, "remote", remoteOf(r), "reason", we.Code)
	}
	data, _ := wire.Marshal(wire.TypeError, wire.ErrorReply{Code: we.Code, Detail: we.Detail, ServerTime: s.now().UnixMilli()})
	w.Header().Set("Content-Type", wire.ContentType)
	w.WriteHeader(we.Status())
	w.Write(data)
}
