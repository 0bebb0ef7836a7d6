package server

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"rehabdesk/assets"
	"rehabdesk/sync/wire"
)

// device is an authenticated caller.
type device struct {
	ID        string
	Township  string
	County    string // non-empty for county-office devices
	Volunteer string // volunteer record id for a volunteer's device
	reenroll  bool   // enrolling with a code issued for this very device
	tokenHash string // hex; with the key file it gives the exchange key
}

// exchangeKey is the key sealing this device's USB exchange files.
func (s *Server) exchangeKey(d *device) []byte { return s.seal.exchangeKey(d.ID, d.tokenHash) }

// scope lists the townships whose feeds the device pulls.
func (s *Server) scope(ctx context.Context, d *device) ([]string, error) {
	if d.Volunteer != "" {
		return []string{volunteerFeed(d.Volunteer)}, nil
	}
	if d.County == "" {
		return []string{d.Township}, nil
	}
	return s.strings(ctx, "SELECT code FROM townships WHERE county = ? ORDER BY code", d.County)
}

// Enroll exchanges a one-time code for a device token. Refusals are logged
// with the remote address, never with the code itself.
func (s *Server) Enroll(ctx context.Context, remote string, req *wire.EnrollRequest) (*wire.EnrollReply, error) {
	if !s.limiter.allow(remote) {
		s.log.Warn("enrollment refused", "remote", remote, "reason", wire.CodeRateLimited)
		return nil, &wire.Error{Code: wire.CodeRateLimited}
	}
	d, err := s.useCode(ctx, req)
	if err != nil {
		s.limiter.fail(remote)
		s.log.Warn("enrollment refused", "remote", remote, "device", req.Device, "township", req.Township, "reason", wire.AsError(err).Code)
		return nil, err
	}
	token := newToken()
	d.tokenHash = wire.TokenHashHex(token)
	if err := s.saveDevice(ctx, d, req.Label, token); err != nil {
		s.log.Warn("enrollment refused", "remote", remote, "device", req.Device, "reason", wire.AsError(err).Code)
		return nil, err
	}
	scope, err := s.scope(ctx, d)
	if err != nil {
		return nil, err
	}
	s.log.Info("device enrolled", "device", d.ID, "township", d.Township, "county", d.County, "remote", remote)
	return &wire.EnrollReply{Token: token, Township: d.Township, County: d.County != "", Scope: scope, ServerTime: s.now().UnixMilli(),
		ExchangeKey: s.exchangeKey(d)}, nil
}

// useCode checks and consumes an enrollment code in one statement, so two
// devices racing with the same code cannot both win. A code issued for one
// device (NewReenrollCode) enrolls that device only.
func (s *Server) useCode(ctx context.Context, req *wire.EnrollRequest) (*device, error) {
	if !validDeviceID(req.Device) || len(req.Label) > 100 || !storableText(req.Label) {
		return nil, &wire.Error{Code: wire.CodeMalformed, Detail: "device id"}
	}
	h := hashHex(normCode(req.Code))
	var town, county, volunteer, forDevice string
	var expires, used int64
	err := s.db.QueryRowContext(ctx, "SELECT township, county, volunteer, device, expires_at, used_at FROM enroll_codes WHERE code_hash = ?", h).
		Scan(&town, &county, &volunteer, &forDevice, &expires, &used)
	switch {
	case errors.Is(err, sql.ErrNoRows), err == nil && forDevice != "" && forDevice != req.Device:
		return nil, &wire.Error{Code: wire.CodeCodeInvalid}
	case err != nil:
		return nil, err
	case used != 0:
		return nil, &wire.Error{Code: wire.CodeCodeUsed, Detail: "replayed enrollment code"}
	case s.now().UnixMilli() > expires:
		return nil, &wire.Error{Code: wire.CodeCodeExpired}
	case county == "" && req.Township != town, county != "" && assets.CountyOf(req.Township) != county:
		return nil, &wire.Error{Code: wire.CodeTownshipMismatch, Detail: "code is for " + town}
	}
	res, err := s.db.ExecContext(ctx, "UPDATE enroll_codes SET used_at = ?, used_by = ? WHERE code_hash = ? AND used_at = 0",
		s.now().UnixMilli(), req.Device, h)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, &wire.Error{Code: wire.CodeCodeUsed}
	}
	return &device{ID: req.Device, Township: req.Township, County: county, Volunteer: volunteer, reenroll: forDevice != ""}, nil
}

// validDeviceID accepts what stores make (UUIDs) and little else: printable
// ASCII without spaces, at most 64 bytes.
func validDeviceID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if r <= ' ' || r > '~' {
			return false
		}
	}
	return true
}

// saveDevice records a newly enrolled device with its token. A device id
// the server knows already is refused: ids travel in every pulled change,
// and enrolling under one would take that device over. Only a code issued
// for the device (a reinstalled laptop, a revoked one the office lets back)
// replaces its token.
func (s *Server) saveDevice(ctx context.Context, d *device, label, token string) error {
	now := s.now().UnixMilli()
	if d.reenroll {
		res := func(r sql.Result, err error) (int64, error) {
			if err != nil {
				return 0, err
			}
			return r.RowsAffected()
		}
		r, err := s.db.ExecContext(ctx, `UPDATE devices SET label = ?, token_hash = ?, enrolled_at = ?, revoked_at = 0
			WHERE id = ? AND township = ? AND county = ? AND volunteer = ?`,
			label, wire.TokenHashHex(token), now, d.ID, d.Township, d.County, d.Volunteer)
		if n, err := res(r, err); err != nil || n != 1 {
			return errors.Join(err, &wire.Error{Code: wire.CodeCodeInvalid})
		}
		return nil
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO devices(id, township, county, volunteer, label, token_hash, enrolled_at) VALUES(?,?,?,?,?,?,?)
		ON CONFLICT(id) DO NOTHING`, d.ID, d.Township, d.County, d.Volunteer, label, wire.TokenHashHex(token), now)
	if err != nil {
		return err
	}
	var tok string
	if err := s.db.QueryRowContext(ctx, "SELECT token_hash FROM devices WHERE id = ?", d.ID).Scan(&tok); err != nil {
		return err
	}
	if tok != wire.TokenHashHex(token) {
		return &wire.Error{Code: wire.CodeDeviceTaken}
	}
	return nil
}

// newToken is 256 random bits; the device keeps it sealed, the server its hash.
func newToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("countyd: system random source failed: " + err.Error())
	}
	return "rdt1." + base64.RawURLEncoding.EncodeToString(b)
}

// appVersion is the release the device says it runs, as `countyd devices`
// shows it: a hostile device may send anything, so only a short run of
// printable characters is kept.
func appVersion(header string) string {
	v := strings.Map(func(r rune) rune {
		if r < 0x21 || r > 0x7e {
			return -1
		}
		return r
	}, header)
	if len(v) > 40 {
		v = v[:40]
	}
	return v
}

// authenticate finds the device a token belongs to. It reads the database on
// every request, so a revocation takes effect at once. Unknown tokens count
// against the remote address, as failed enrollments do; a known token never
// does, so guessing from behind a township's NAT locks out no real device.
func (s *Server) authenticate(ctx context.Context, tokenHashHex, remote, version string) (*device, error) {
	d := device{tokenHash: tokenHashHex}
	var revoked, seen int64
	var seenVersion string
	err := s.db.QueryRowContext(ctx, "SELECT id, township, county, volunteer, revoked_at, last_seen, app_version FROM devices WHERE token_hash = ?", tokenHashHex).
		Scan(&d.ID, &d.Township, &d.County, &d.Volunteer, &revoked, &seen, &seenVersion)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if !s.limiter.allow(remote) {
			s.log.Warn("request refused", "remote", remote, "reason", wire.CodeRateLimited)
			return nil, &wire.Error{Code: wire.CodeRateLimited}
		}
		s.limiter.fail(remote) // guessing tokens is as slow as guessing codes
		s.log.Warn("request refused", "remote", remote, "reason", "unknown token")
		return nil, &wire.Error{Code: wire.CodeUnauthorized}
	case err != nil:
		return nil, err
	case revoked != 0:
		s.log.Warn("request refused", "remote", remote, "device", d.ID, "reason", "revoked device")
		return nil, &wire.Error{Code: wire.CodeRevoked}
	}
	now, v := s.now().UnixMilli(), appVersion(version)
	if now >= seen && now-seen < lastSeenStep.Milliseconds() && v == seenVersion {
		return &d, nil
	}
	_, err = s.db.ExecContext(ctx, "UPDATE devices SET last_seen = ?, app_version = ? WHERE id = ?", now, v, d.ID)
	return &d, err
}

// lastSeenStep is how stale a device's "last seen" may be: a sync is
// several requests within seconds, and writing the time on each was a
// committed write per request (on PostgreSQL a flush of its log) for a
// column people read in minutes. A new release is written at once.
const lastSeenStep = time.Minute
