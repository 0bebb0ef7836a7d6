package client

import (
	"context"
	"fmt"
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

// Enroll binds the database to a county server with a one-time code. For
// https, fingerprint (from `countyd serve` or `countyd enroll-code`) is
// checked when given; otherwise the certificate presented now is pinned
// and returned for the officer to compare.
func Enroll(ctx context.Context, st *store.Store, server, code, fingerprint string, opt Options) (*Enrollment, error) {
	opt = opt.withDefaults()
	base, err := checkURL(server)
	if err != nil {
		return nil, err
	}
	fingerprint = normPin(fingerprint)
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
