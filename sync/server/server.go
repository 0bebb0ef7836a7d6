package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"time"

	"rehabdesk/assets"
	"rehabdesk/internal/sqlrows"
	"rehabdesk/store"
)

// Errors of administration.
var (
	ErrUnknownTownship = errors.New("township code not in the Guizhou divisions")
	ErrNoTownship      = errors.New("township not added to this server; run countyd township add")
	ErrNoDevice        = errors.New("no such device")
)

// Options tune a server; the zero value is right for countyd.
type Options struct {
	Log *slog.Logger     // nil: discard
	Now func() time.Time // nil: time.Now
	// EnrollFailures is how many failures a caller may make per minute
	// before it is refused: failed enrollments and unknown tokens per
	// remote address (guessing), malformed or oversized requests per
	// device token. 0: 10.
	EnrollFailures int
	// Decodes is how many requests may be decoded and answered at once;
	// the rest wait. 0: the number of CPUs, at least 2.
	Decodes int
	// KeyFile holds the key sealing personal values; "": PATH.key.
	KeyFile string
	// MarkerFile holds the epoch and feed high-water mark the server last
	// wrote (see generation.go); "": KeyFile + ".generation".
	MarkerFile string
	// MaxClockAhead: a pushed change stamped further ahead of the server's
	// clock is refused with its page (clock.go); 0: store.DefaultMaxClockAhead.
	MaxClockAhead time.Duration
	// PasswordKDF is the argon2id cost of new county account passwords;
	// zero: store.DefaultKDF.
	PasswordKDF store.KDFParams
	// SessionIdle and SessionMax end a workbench session unused for, or
	// opened for, that long; 0: 30 minutes and 10 hours (a working day).
	SessionIdle, SessionMax time.Duration
	// UploadQuota is how many bytes of attachment content one device may
	// send in a day (UTC); 0: DefaultUploadQuota.
	UploadQuota int64
}

// Server is an open county server database.
type Server struct {
	db      *db
	log     *slog.Logger
	now     func() time.Time
	writeMu sync.Mutex // one writer at a time keeps feeds in sequence order
	limiter *limiter
	decodes chan struct{} // one token per request being decoded
	seal    *sealer
	pages   pageCache // last pull page of each device, for resumed retries
	ratio   encodeRatio
	genMu   sync.Mutex
	gen     generation // identity and epoch, as last read from the database
	marker  string     // path of the generation marker
	// maxAhead bounds how far ahead of now a pushed change may be stamped.
	maxAhead time.Duration
	// uploadQuota bounds the attachment bytes one device sends a day.
	uploadQuota int64
	// County accounts (account.go).
	kdf                     store.KDFParams
	kdfSlots                chan struct{} // argon2id runs at once
	signInLocks             nameLocks
	sessionIdle, sessionMax time.Duration
	// passwordChecked, set by tests, runs between a sign-in's password
	// check and its session.
	passwordChecked func()
}

// Open opens (creating if needed) the server database at path.
func Open(ctx context.Context, path string, opt Options) (*Server, error) {
	if opt.KeyFile == "" {
		opt.KeyFile = path + ".key"
	}
	db, err := openDB(ctx, path)
	if err != nil {
		return nil, err
	}
	return newServer(ctx, db, opt)
}

// OpenPostgres opens (creating the tables if needed) a server whose store
// is a PostgreSQL database, given by URL (postgres://user@host/db or a
// key=value string). Several servers may share one database; each needs
// the key file, and keeps its own generation marker beside it.
func OpenPostgres(ctx context.Context, url string, opt Options) (*Server, error) {
	if opt.KeyFile == "" {
		return nil, errors.New("a PostgreSQL server needs its key file (--key)")
	}
	db, err := openPG(ctx, url)
	if err != nil {
		return nil, err
	}
	return newServer(ctx, db, opt)
}

func newServer(ctx context.Context, db *db, opt Options) (*Server, error) {
	if opt.MarkerFile == "" {
		opt.MarkerFile = opt.KeyFile + ".generation"
	}
	seal, err := loadKey(opt.KeyFile)
	if err != nil {
		db.Close()
		return nil, err
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.EnrollFailures == 0 {
		opt.EnrollFailures = 10
	}
	if opt.Decodes <= 0 {
		opt.Decodes = max(2, runtime.NumCPU())
	}
	if opt.MaxClockAhead <= 0 {
		opt.MaxClockAhead = store.DefaultMaxClockAhead
	}
	if opt.UploadQuota <= 0 {
		opt.UploadQuota = DefaultUploadQuota
	}
	setAccountDefaults(&opt)
	s := &Server{db: db, log: opt.Log, now: opt.Now, seal: seal, limiter: newLimiter(opt.EnrollFailures, time.Minute, opt.Now),
		decodes: make(chan struct{}, opt.Decodes), pages: pageCache{max: pageCacheBytes}, maxAhead: opt.MaxClockAhead,
		uploadQuota: opt.UploadQuota,
		kdf:         opt.PasswordKDF, kdfSlots: make(chan struct{}, 2),
		sessionIdle: opt.SessionIdle, sessionMax: opt.SessionMax}
	if err := s.loadGeneration(ctx, opt.MarkerFile); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func setAccountDefaults(opt *Options) {
	if opt.PasswordKDF.Time == 0 {
		opt.PasswordKDF = store.DefaultKDF
	}
	if opt.SessionIdle <= 0 {
		opt.SessionIdle = 30 * time.Minute
	}
	if opt.SessionMax <= 0 {
		opt.SessionMax = 10 * time.Hour
	}
}

// Close closes the database.
func (s *Server) Close() error { return s.db.Close() }

// AddTownship starts serving a township. Its county comes from its code.
func (s *Server) AddTownship(ctx context.Context, code string) error {
	if _, ok := assets.Township(code); !ok {
		return fmt.Errorf("%w: %q", ErrUnknownTownship, code)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO townships(code, county, added_at) VALUES(?,?,?)
		ON CONFLICT(code) DO NOTHING`, code, assets.CountyOf(code), s.now().UnixMilli())
	if err == nil {
		s.log.Info("township added", "township", code, "county", assets.CountyOf(code))
	}
	return err
}

// Townships lists the townships served, by code.
func (s *Server) Townships(ctx context.Context) ([]string, error) {
	return s.strings(ctx, "SELECT code FROM townships ORDER BY code")
}

func (s *Server) strings(ctx context.Context, q string, args ...any) ([]string, error) {
	return queryStrings(ctx, s.db, q, args...)
}

// queryStrings runs a query of one text column, on the database or inside
// a transaction.
func queryStrings(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, query string, args ...any) ([]string, error) {
	return sqlrows.Strings(q.QueryContext(ctx, query, args...))
}

// codeAlphabet leaves out 0/O and 1/I/L, which officers misread on the phone.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// NewEnrollCode issues a one-time code for a device of a township (or, with
// county, a county-office device of the township's county), valid for ttl.
// Only its hash is stored; the code is shown once.
func (s *Server) NewEnrollCode(ctx context.Context, township string, county bool, ttl time.Duration) (string, error) {
	countyCode := ""
	if county {
		countyCode = assets.CountyOf(township)
	}
	return s.newCode(ctx, township, countyCode, "", ttl)
}

// NewVolunteerCode issues a one-time code for a volunteer's device: it
// receives only the persons assigned to that volunteer record, without
// violations or sensitive fields, and may push visits of those persons only.
func (s *Server) NewVolunteerCode(ctx context.Context, township, volunteer string, ttl time.Duration) (string, error) {
	if volunteer == "" || len(volunteer) > 64 {
		return "", fmt.Errorf("volunteer record id required")
	}
	return s.newCode(ctx, township, "", volunteer, ttl)
}

// NewReenrollCode issues a one-time code that lets one enrolled device in
// again with a new token (a laptop restored from its backup, or a revoked
// one the office readmits), in the same township and role. No other code
// can enroll a device id the server knows.
func (s *Server) NewReenrollCode(ctx context.Context, deviceID string, ttl time.Duration) (string, error) {
	var town, county, volunteer string
	err := s.db.QueryRowContext(ctx, "SELECT township, county, volunteer FROM devices WHERE id = ?", deviceID).Scan(&town, &county, &volunteer)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("%w: %s", ErrNoDevice, deviceID)
	}
	if err != nil {
		return "", err
	}
	return s.newCodeFor(ctx, town, county, volunteer, deviceID, ttl)
}

func (s *Server) newCode(ctx context.Context, township, countyCode, volunteer string, ttl time.Duration) (string, error) {
	return s.newCodeFor(ctx, township, countyCode, volunteer, "", ttl)
}

func (s *Server) newCodeFor(ctx context.Context, township, countyCode, volunteer, deviceID string, ttl time.Duration) (string, error) {
	var known int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM townships WHERE code = ?", township).Scan(&known); err != nil {
		return "", err
	}
	if known == 0 {
		return "", fmt.Errorf("%w: %s", ErrNoTownship, township)
	}
	code := randomCode(12)
	now := s.now()
	_, err := s.db.ExecContext(ctx, `INSERT INTO enroll_codes(code_hash, township, county, volunteer, device, created_at, expires_at) VALUES(?,?,?,?,?,?,?)`,
		hashHex(normCode(code)), township, countyCode, volunteer, deviceID, now.UnixMilli(), now.Add(ttl).UnixMilli())
	if err != nil {
		return "", err
	}
	s.log.Info("enrollment code issued", "township", township, "county", countyCode, "volunteer", volunteer, "device", deviceID, "expires", now.Add(ttl).Format(time.RFC3339))
	return code, nil
}

// randomCode makes n characters from codeAlphabet in groups of four.
func randomCode(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("countyd: system random source failed: " + err.Error())
	}
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		// 31 letters: the modulo bias (256 = 8*31+8) is negligible next to
		// the one-time use, the expiry and the rate limit.
		sb.WriteByte(codeAlphabet[int(c)%len(codeAlphabet)])
	}
	return sb.String()
}

// normCode forgives case, spaces and dashes in a typed code.
func normCode(c string) string {
	c = strings.ToUpper(c)
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, c)
}

func hashHex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// Device is one enrolled device as `countyd devices` lists it.
type Device struct {
	ID, Township, County, Label  string
	Volunteer                    string // volunteer record id of a volunteer's device
	Version                      string // release it last synced with, "" before any
	Enrolled, LastSeen, LastSync time.Time
	Revoked                      time.Time // zero when active
}

// Devices lists enrolled devices by township.
func (s *Server) Devices(ctx context.Context) ([]Device, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, township, county, volunteer, label, app_version, enrolled_at, last_seen, last_sync, revoked_at
		FROM devices ORDER BY township, enrolled_at`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Device
	for rows.Next() {
		var d Device
		var en, seen, syn, rev int64
		if err := rows.Scan(&d.ID, &d.Township, &d.County, &d.Volunteer, &d.Label, &d.Version, &en, &seen, &syn, &rev); err != nil {
			return nil, err
		}
		d.Enrolled, d.LastSeen, d.LastSync, d.Revoked = msTime(en), msTime(seen), msTime(syn), msTime(rev)
		out = append(out, d)
	}
	return out, rows.Err()
}

func msTime(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

// Revoke cuts a device off: its next request is refused.
func (s *Server) Revoke(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, "UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at = 0", s.now().UnixMilli(), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: %s", ErrNoDevice, id)
	}
	s.log.Warn("device revoked", "device", id)
	return nil
}
