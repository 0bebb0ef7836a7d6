package client

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"rehabdesk/internal/version"
	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// Errors of connecting.
var (
	ErrInsecureURL = &Error{"insecure_url", "plain http is allowed only for a server on this computer; use https"}
	ErrPinMismatch = &Error{"pin_mismatch", "server certificate does not match the pinned fingerprint"}
	ErrBadURL      = &Error{"bad_url", "server address must look like https://host:port"}
)

// Error is a sync failure on the device side with a translation key
// "sync.error.<code>" (see app/msg).
type Error struct{ code, text string }

func (e *Error) Error() string { return e.text }

// MessageKey names the translation.
func (e *Error) MessageKey() (string, []any) { return "sync.error." + e.code, nil }

// Options tune a sync; the zero value is right for the app.
type Options struct {
	Retries    int           // attempts after the first for a transient failure; 0: 5, < 0: none
	Backoff    time.Duration // first wait between attempts, doubled each time; 0: 1 s
	MaxBackoff time.Duration // 0: 1 min
	PushPage   int           // 0: wire.MaxPushPage
	PullPage   int           // 0: wire.MaxPullPage
	// PageBytes is the encoded size of the first push or pull page; later
	// pages halve after a failure and double after two clean requests,
	// between MinPageBytes and MaxPageBytes. 0: DefaultPageBytes.
	PageBytes int
	Timeout   time.Duration // per request; 0: 5 min (a 2G link moves ~10 KB/s)
	// IdleTimeout ends a connection that moves no byte for this long: a
	// stalled mobile link (no reset) is then retried in tens of seconds
	// instead of waiting for Timeout. 0: DefaultIdleTimeout.
	IdleTimeout time.Duration
	Now         func() time.Time
	// MaxClockAhead: a sync stops before pushing when this computer's
	// clock is further ahead of the server's; 0: store.DefaultMaxClockAhead.
	MaxClockAhead time.Duration
	// Dial replaces the network dialer (tests route through a faulty proxy).
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// DefaultIdleTimeout is how long a connection may move no byte. A server
// answers a bounded page in well under a second; on a 2G link a reply's
// first bytes take a few seconds; 30 s of silence means a dead link.
const DefaultIdleTimeout = 30 * time.Second

func (o Options) withDefaults() Options {
	if o.Retries == 0 {
		o.Retries = 5
	}
	if o.Backoff == 0 {
		o.Backoff = time.Second
	}
	if o.MaxBackoff == 0 {
		o.MaxBackoff = time.Minute
	}
	if o.PushPage <= 0 || o.PushPage > wire.MaxPushPage {
		o.PushPage = wire.MaxPushPage
	}
	if o.PullPage <= 0 || o.PullPage > wire.MaxPullPage {
		o.PullPage = wire.MaxPullPage
	}
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Minute
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxClockAhead <= 0 {
		o.MaxClockAhead = store.DefaultMaxClockAhead
	}
	if o.Dial == nil {
		o.Dial = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	}
	return o
}

// conn talks to one server and counts the bytes that cross the socket.
type conn struct {
	base     string
	token    string
	http     *http.Client
	opt      Options
	sent     atomic.Int64
	received atomic.Int64
	seenPin  string // fingerprint of the certificate last presented
	skew     time.Duration
	pages    pageSize // bytes a push or pull page may take on this link
}

// checkURL validates a server address and refuses plain http off loopback.
func checkURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", fmt.Errorf("%w: %q", ErrBadURL, raw)
	}
	if u.Scheme == "http" && !loopbackHost(u.Hostname()) {
		return "", ErrInsecureURL
	}
	return u.String(), nil
}

func loopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// newConn prepares a connection. With a pin, the certificate must match it;
// with pin == "" (enrollment), any certificate is accepted and recorded in
// seenPin for the caller to check and store.
func newConn(base, token, pin string, opt Options) *conn {
	c := &conn{base: base, token: token, opt: opt}
	c.pages.set(opt.PageBytes)
	tr := &http.Transport{
		DialContext:         c.countingDial,
		TLSHandshakeTimeout: 30 * time.Second,
		TLSClientConfig: &tls.Config{
			MinVersion: tls.VersionTLS12,
			// Trust comes from the pinned fingerprint, not from a CA:
			// township servers use self-signed certificates.
			InsecureSkipVerify:    true,
			VerifyPeerCertificate: c.verifyPin(pin),
		},
		ResponseHeaderTimeout: opt.Timeout,
		MaxIdleConnsPerHost:   2,
	}
	c.http = &http.Client{Transport: tr, Timeout: opt.Timeout}
	return c
}

func (c *conn) verifyPin(pin string) func([][]byte, [][]*x509.Certificate) error {
	return func(raw [][]byte, _ [][]*x509.Certificate) error {
		if len(raw) == 0 {
			return ErrPinMismatch
		}
		h := sha256.Sum256(raw[0])
		c.seenPin = hex.EncodeToString(h[:])
		if pin != "" && !strings.EqualFold(pin, c.seenPin) {
			return ErrPinMismatch
		}
		return nil
	}
}

func (c *conn) countingDial(ctx context.Context, network, addr string) (net.Conn, error) {
	nc, err := c.opt.Dial(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: nc, c: c, idle: c.opt.IdleTimeout}, nil
}

// countingConn counts bytes on the socket, TLS and HTTP headers included:
// what a 2G plan bills. Each read and write must make progress within idle,
// so a link that stalls without a reset fails like one that drops.
type countingConn struct {
	net.Conn
	c    *conn
	idle time.Duration
}

func (cc *countingConn) Read(p []byte) (int, error) {
	cc.Conn.SetReadDeadline(time.Now().Add(cc.idle))
	n, err := cc.Conn.Read(p)
	cc.c.received.Add(int64(n))
	return n, err
}

func (cc *countingConn) Write(p []byte) (int, error) {
	cc.Conn.SetWriteDeadline(time.Now().Add(cc.idle))
	n, err := cc.Conn.Write(p)
	cc.c.sent.Add(int64(n))
	return n, err
}

// transientError is a failure worth retrying: the network, a server error,
// a reply cut short.
type transientError struct{ err error }

func (e *transientError) Error() string { return e.err.Error() }
func (e *transientError) Unwrap() error { return e.err }

// call sends one request, retrying transient failures with backoff. Every
// request of the protocol is idempotent, so a retry is always safe.
func (c *conn) call(ctx context.Context, path string, rt wire.Type, req any, pt wire.Type, rep any) error {
	body, err := wire.Marshal(rt, req)
	if err != nil {
		return err
	}
	return c.callEncoded(ctx, path, body, pt, rep)
}

// callEncoded is call with the request already encoded.
func (c *conn) callEncoded(ctx context.Context, path string, body []byte, pt wire.Type, rep any) error {
	return c.callBuilt(ctx, path, func() ([]byte, error) { return body, nil }, pt, rep)
}

// callBuilt is call with a request built for each attempt that has nothing
// to resume: a pull page asked again after a cut asks for the smaller size
// the link now gets.
func (c *conn) callBuilt(ctx context.Context, path string, build func() ([]byte, error), pt wire.Type, rep any) (err error) {
	wait := c.opt.Backoff
	var part partial // what arrived of a reply cut short, to resume
	var body []byte
	for attempt := 0; ; attempt++ {
		if body == nil || !part.trusted {
			if body, err = build(); err != nil {
				return err
			}
			part = partial{}
		}
		err = c.once(ctx, path, body, pt, rep, &part)
		var te *transientError
		if errors.As(err, &te) {
			c.pages.failed()
		} else if err == nil && attempt == 0 {
			c.pages.went()
		}
		if err == nil || !errors.As(err, &te) || attempt >= c.opt.Retries || ctx.Err() != nil {
			return unwrapTransient(err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, c.opt.MaxBackoff)
	}
}

func unwrapTransient(err error) error {
	var te *transientError
	if errors.As(err, &te) {
		return &NetworkError{Err: te.err}
	}
	return err
}

// NetworkError means the server could not be reached or answered badly even
// after retries; the next sync tries again.
type NetworkError struct{ Err error }

func (e *NetworkError) Error() string { return "cannot reach the county server: " + e.Err.Error() }
func (e *NetworkError) Unwrap() error { return e.Err }

// MessageKey names the translation (see app/msg).
func (e *NetworkError) MessageKey() (string, []any) {
	if errors.Is(e.Err, ErrPinMismatch) {
		return "sync.error.pin_mismatch", nil
	}
	return "sync.error.network", []any{e.Err.Error()}
}

func (c *conn) once(ctx context.Context, path string, body []byte, pt wire.Type, rep any, part *partial) error {
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	hreq.Header.Set("Content-Type", wire.ContentType)
	hreq.Header.Set(wire.VersionHeader, version.Get().Short())
	if c.token != "" {
		hreq.Header.Set("Authorization", "Bearer "+c.token)
	}
	part.ask(hreq)
	hrep, err := c.http.Do(hreq)
	if err != nil {
		if errors.Is(err, ErrPinMismatch) || ctx.Err() != nil {
			return errors.Join(err, ctx.Err())
		}
		return &transientError{err}
	}
	defer hrep.Body.Close()
	data, err := io.ReadAll(io.LimitReader(hrep.Body, wire.MaxMessage+1))
	status, data, perr := part.join(hrep, data, err)
	if perr != nil {
		return &transientError{perr}
	}
	if err != nil {
		return &transientError{fmt.Errorf("reply cut short: %w", err)}
	}
	return c.decode(status, data, pt, rep)
}

// decode reads a reply or a coded refusal. A reply that does not decode was
// most likely damaged on the way, so it is retried.
func (c *conn) decode(status int, data []byte, pt wire.Type, rep any) error {
	if status != http.StatusOK {
		var er wire.ErrorReply
		if err := wire.Unmarshal(data, wire.TypeError, &er); err != nil {
			return &transientError{fmt.Errorf("HTTP %d", status)}
		}
		c.noteServerTime(er.ServerTime)
		we := &wire.Error{Code: er.Code, Detail: er.Detail}
		if we.Temporary() {
			return &transientError{we}
		}
		return we
	}
	if err := wire.Unmarshal(data, pt, rep); err != nil {
		if errors.Is(err, wire.ErrVersion) {
			return wire.AsError(err) // a server of another protocol version: retrying cannot help
		}
		return &transientError{fmt.Errorf("damaged reply: %w", err)}
	}
	return nil
}

// noteServerTime records how far the device clock is from the server's.
func (c *conn) noteServerTime(ms int64) {
	if ms > 0 {
		c.skew = time.UnixMilli(ms).Sub(c.opt.Now())
	}
}
