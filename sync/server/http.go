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

// readBody reads a bounded request body; an oversized one is refused
// before it is read whole.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, wire.MaxMessage))
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

func (s *Server) serveEnroll(w http.ResponseWriter, r *http.Request) {
	var req wire.EnrollRequest
	body, err := readBody(w, r)
	if err == nil {
		err = wire.Unmarshal(body, wire.TypeEnrollRequest, &req)
	}
	if err != nil {
		s.refuse(w, r, "", err)
		return
	}
	rep, err := s.Enroll(r.Context(), remoteOf(r), &req)
	if err != nil {
		s.refuse(w, r, "", err)
		return
	}
	s.reply(w, wire.TypeEnrollReply, rep)
}

// authedFunc handles a decoded, authenticated request body.
type authedFunc func(ctx context.Context, d *device, body []byte) (wire.Type, any, error)

// authed checks the bearer token before reading the body, so a revoked or
// forged token costs the server nothing more than one lookup.
func (s *Server) authed(t wire.Type, fn authedFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || token == "" {
			s.refuse(w, r, "", &wire.Error{Code: wire.CodeUnauthorized})
			return
		}
		d, err := s.authenticate(r.Context(), wire.TokenHashHex(token), remoteOf(r))
		if err != nil {
			s.refuse(w, r, "", err)
			return
		}
		body, err := readBody(w, r)
		if err != nil {
			s.refuse(w, r, d.ID, err)
			return
		}
		if _, err := wire.PeekType(body); err != nil {
			s.refuse(w, r, d.ID, err)
			return
		}
		rt, rep, err := fn(r.Context(), d, body)
		if err != nil {
			s.refuse(w, r, d.ID, err)
			return
		}
		n := s.reply(w, rt, rep)
		s.log.Debug("request", "path", r.URL.Path, "device", d.ID, "in", len(body), "out", n, "ms", time.Since(start).Milliseconds())
	}
}

func (s *Server) servePush(ctx context.Context, d *device, body []byte) (wire.Type, any, error) {
	var req wire.PushRequest
	if err := wire.Unmarshal(body, wire.TypePushRequest, &req); err != nil {
		return 0, nil, err
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
		return wire.TypePullReply, &wire.PullReply{Rewound: true, Server: s.gen.ID, Epoch: s.gen.Epoch, ServerTime: s.now().UnixMilli()}, nil
	}
	changes, rep, err := s.Pull(ctx, d, req.Cursor, req.Limit)
	if err != nil {
		return 0, nil, err
	}
	rep.Changes = wire.EncodeChanges(changes)
	s.log.Info("pull", "device", d.ID, "township", d.Township, "changes", len(changes), "next", rep.Next, "more", rep.More)
	return wire.TypePullReply, rep, nil
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
	return wire.TypeStatusReply, &wire.StatusReply{Township: d.Township, Scope: scope, Pending: pending, ServerTime: s.now().UnixMilli()}, nil
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
	data, _ := wire.Marshal(wire.TypeError, wire.ErrorReply{Code: we.Code, Detail: we.Detail})
	w.Header().Set("Content-Type", wire.ContentType)
	w.WriteHeader(we.Status())
	w.Write(data)
}
