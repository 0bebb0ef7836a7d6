package client

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"

	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// Enrollment is what Enroll learnt from the server.
type Enrollment struct {
	Server      string
	Fingerprint string // pinned certificate fingerprint, "" over loopback http
	Township    string
	County      bool
	Scope       []string
}

// UnconfirmedPinError refuses an https enrollment without the server's
// certificate fingerprint: pinning whatever certificate answers would trust
// a man in the middle for good. It carries the fingerprint the server
// presented, for the officer to compare with the one the county office
// gave (countyd prints it) and to confirm.
type UnconfirmedPinError struct{ Fingerprint string }

func (e *UnconfirmedPinError) Error() string {
	return "enrollment over https needs the server's certificate fingerprint; the server presented sha256:" + e.Fingerprint
}

// MessageKey names the translation, with the fingerprint presented.
func (e *UnconfirmedPinError) MessageKey() (string, []any) {
	return "sync.error.unconfirmed_pin", []any{e.Fingerprint}
}

// Enroll binds the database to a county server with a one-time code. For
// https, fingerprint (from `countyd serve` or `countyd enroll-code`) is
// required and checked; without it nothing is sent and an
// *UnconfirmedPinError names the certificate presented, so that the GUI
// can ask the officer to confirm it and the CLI can refuse.
func Enroll(ctx context.Context, st *store.Store, server, code, fingerprint string, opt Options) (*Enrollment, error) {
	opt = opt.withDefaults()
	base, err := checkURL(server)
	if err != nil {
		return nil, err
	}
	fingerprint = normPin(fingerprint)
	if strings.HasPrefix(base, "https:") && fingerprint == "" {
		return nil, unconfirmedPin(ctx, base, opt)
	}
	c := newConn(base, "", fingerprint, opt)
	host, _ := os.Hostname()
	req := wire.EnrollRequest{Code: code, Township: st.Township(), Device: st.Device(), Label: host}
	var rep wire.EnrollReply
	if err := c.call(ctx, wire.PathEnroll, wire.TypeEnrollRequest, req, wire.TypeEnrollReply, &rep); err != nil {
		return nil, err
	}
	pin := ""
	if strings.HasPrefix(base, "https:") {
		pin = c.seenPin
	}
	if err := saveEnrollment(ctx, st, base, pin, &rep); err != nil {
		return nil, fmt.Errorf("save enrollment: %w", err)
	}
	return &Enrollment{Server: base, Fingerprint: pin, Township: rep.Township, County: rep.County, Scope: rep.Scope}, nil
}

// normPin accepts fingerprints typed with colons, spaces or a "sha256:" prefix.
func normPin(p string) string {
	p = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(p)), "sha256:")
	return strings.NewReplacer(":", "", " ", "").Replace(p)
}

// saveEnrollment stores the binding. Cursors start again from zero: a
// database enrolled anew pushes everything it has (the server keeps each
// change once) and pulls its township's whole feed.
func saveEnrollment(ctx context.Context, st *store.Store, base, pin string, rep *wire.EnrollReply) error {
	if err := st.SetSyncSecret(ctx, keyToken, []byte(rep.Token)); err != nil {
		return err
	}
	// Always replace: a key of an earlier enrollment no longer opens.
	if err := st.SetSyncSecret(ctx, keyExchange, rep.ExchangeKey); err != nil {
		return err
	}
	county := ""
	if rep.County {
		county = "1"
	}
	return st.SetSyncState(ctx, map[string]string{
		keyServer: base, keyPin: pin, keyScope: strings.Join(rep.Scope, ","), keyCounty: county,
		keyPush: "", keyPull: "", keyLastErr: "",
	})
}

// unconfirmedPin reads the certificate the server presents in a TLS
// handshake, sending no request, and refuses with it.
func unconfirmedPin(ctx context.Context, base string, opt Options) error {
	u, err := url.Parse(base)
	if err != nil {
		return err
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "443")
	}
	ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()
	nc, err := opt.Dial(ctx, "tcp", addr)
	if err != nil {
		return &NetworkError{Err: err}
	}
	defer nc.Close()
	c := &conn{}
	tc := tls.Client(nc, &tls.Config{MinVersion: tls.VersionTLS12, ServerName: u.Hostname(),
		InsecureSkipVerify: true, VerifyPeerCertificate: c.verifyPin("")})
	if err := tc.HandshakeContext(ctx); err != nil || c.seenPin == "" {
		return &NetworkError{Err: fmt.Errorf("tls handshake: %v", err)}
	}
	return &UnconfirmedPinError{Fingerprint: c.seenPin}
}
