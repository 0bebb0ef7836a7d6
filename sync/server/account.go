package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"rehabdesk/store"
)

// Roles of a county account: staff see every township of the county; an
// administrator also issues enrolment codes, revokes devices, manages
// accounts and sets the year's targets.
const (
	RoleStaff = "staff"
	RoleAdmin = "admin"
)

// Errors of county accounts and sessions.
var (
	ErrBadSignIn     = errors.New("wrong user name or password")
	ErrAccountExists = errors.New("account already exists")
	ErrNoAccount     = errors.New("no such account")
	ErrBadRole       = errors.New("role must be staff or admin")
	ErrBadUserName   = errors.New("user name must be 2 to 64 letters, digits, '.', '-' or '_'")
	ErrNoSession     = errors.New("not signed in or session expired")
)

// SignInWaitError refuses a sign-in tried before the wait that earlier
// wrong passwords imposed (store.SignInDelay) has passed.
type SignInWaitError struct{ Wait time.Duration }

func (e *SignInWaitError) Error() string {
	return fmt.Sprintf("too many wrong passwords: try again in %s", e.Wait.Round(time.Second))
}

// Account is a county account as listed.
type Account struct {
	Name, Role                              string
	Failures                                int
	LockedUntil, Disabled, Created, Changed time.Time
}

// Session is a signed-in browser of a county account. Role is "" when the
// account has been disabled since.
type Session struct {
	Account, Role, CSRF string
	Created, LastSeen   time.Time
}

// WebAuditEntry is one line of the workbench's audit log.
type WebAuditEntry struct {
	At                              time.Time
	Account, Remote, Action, Detail string
}

// EnrollCode is an issued enrolment code (the code itself is not kept).
type EnrollCode struct {
	Township, County, Volunteer, Device, UsedBy string
	Created, Expires, Used                      time.Time
}

// NormUser is a user name as stored: trimmed, lower case.
func NormUser(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

func checkUserName(name string) error {
	if n := utf8.RuneCountInString(name); n < 2 || n > 64 {
		return ErrBadUserName
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' && r != '-' && r != '_' {
			return ErrBadUserName
		}
	}
	return nil
}

// AddAccount creates a county account; the password must pass the same
// policy as the officers' (store.CheckPassword).
func (s *Server) AddAccount(ctx context.Context, name, role, password string) error {
	name = NormUser(name)
	if err := checkUserName(name); err != nil {
		return err
	}
	if role != RoleStaff && role != RoleAdmin {
		return ErrBadRole
	}
	if err := store.CheckPassword(name, password); err != nil {
		return err
	}
	h, err := s.hashPassword(ctx, password, nil, s.kdf)
	if err != nil {
		return err
	}
	if err := s.insertAccount(ctx, name, role, *h); err != nil {
		return err
	}
	s.log.Info("county account added", "account", name, "role", role)
	return nil
}

// SetPassword gives an account a new password, clears its wrong-password
// count and ends its sessions.
func (s *Server) SetPassword(ctx context.Context, name, password string) error {
	name = NormUser(name)
	if err := store.CheckPassword(name, password); err != nil {
		return err
	}
	h, err := s.hashPassword(ctx, password, nil, s.kdf)
	if err != nil {
		return err
	}
	return s.updatePassword(ctx, name, *h)
}

// DisableAccount stops an account from signing in and ends its sessions;
// EnableAccount lets it in again.
func (s *Server) DisableAccount(ctx context.Context, name string) error {
	return s.setDisabled(ctx, NormUser(name), true)
}

// EnableAccount lets a disabled account sign in again.
func (s *Server) EnableAccount(ctx context.Context, name string) error {
	return s.setDisabled(ctx, NormUser(name), false)
}

// hashPassword runs argon2id with a new salt (salt nil) or the given one.
// Each run takes tens of MiB, so only a few run at once (kdfSlots): a
// flood of sign-ins waits instead of exhausting memory.
func (s *Server) hashPassword(ctx context.Context, password string, salt []byte, p store.KDFParams) (*passHash, error) {
	if salt == nil {
		salt = make([]byte, 16)
		rand.Read(salt)
	}
	select {
	case s.kdfSlots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-s.kdfSlots }()
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, 32)
	return &passHash{hash: key, salt: salt, time: p.Time, memory: p.Memory, threads: p.Threads}, nil
}

// SignIn checks a county account's password and opens a session. It
// returns the session and the id for the browser's cookie. Wrong passwords
// impose growing waits (store.SignInDelay), both on the account and on the
// remote address (for names that do not exist, and for guessing across
// accounts), shared by every server on the database (signin_delays.go); a
// try during the wait is refused without looking at the password. The
// errors say nothing of whether the name exists.
func (s *Server) SignIn(ctx context.Context, name, password, remote string) (*Session, string, error) {
	name = NormUser(name)
	defer s.signInLocks.lock(name)()
	remote = addrKey(remote)
	if err := s.countTry(ctx, addrTries, "addr:"+remote); err != nil {
		return nil, "", err
	}
	err := s.countTry(ctx, accountTries, name)
	if errors.Is(err, ErrNoAccount) {
		return nil, "", s.unknownName(ctx, name, password)
	}
	if err != nil {
		return nil, "", err
	}
	h, err := s.loadPassHash(ctx, name)
	if err != nil {
		return nil, "", err
	}
	got, err := s.hashPassword(ctx, password, h.salt, store.KDFParams{Time: h.time, Memory: h.memory, Threads: h.threads})
	if err != nil {
		return nil, "", err
	}
	if subtle.ConstantTimeCompare(got.hash, h.hash) != 1 || h.disabl != 0 {
		s.log.Warn("county sign-in refused", "account", name, "remote", remote)
		return nil, "", ErrBadSignIn
	}
	if s.passwordChecked != nil {
		s.passwordChecked()
	}
	ss, id, err := s.openSession(ctx, name, h)
	if err != nil {
		return nil, "", err
	}
	return ss, id, s.clearTries(ctx, "addr:"+remote)
}

// addrKey is the address a sign-in's tries count under: an IPv6 address
// by its /64, as a line or an office is given a whole /64 and could try
// from a new address every time; other addresses as they are.
func addrKey(remote string) string {
	a, err := netip.ParseAddr(remote)
	if err != nil || !a.Is6() || a.Is4In6() {
		return remote
	}
	p, err := a.Prefix(64)
	if err != nil {
		return remote
	}
	return p.String()
}

// countTry counts one try of key, or refuses it with the wait still
// imposed.
func (s *Server) countTry(ctx context.Context, c tryCounter, key string) error {
	wait, err := s.tryKey(ctx, c, key)
	if err == nil && wait > 0 {
		return &SignInWaitError{Wait: wait}
	}
	return err
}

// unknownName refuses a name no account has with the same effort and the
// same growing waits as a wrong password of an account: neither the time
// taken nor the answers tell which names exist.
func (s *Server) unknownName(ctx context.Context, name, password string) error {
	if err := s.countTry(ctx, nameTries, "name:"+name); err != nil {
		return err
	}
	s.hashPassword(ctx, password, nil, s.kdf)
	return ErrBadSignIn
}

// openSession opens a session of the account whose password h the sign-in
// checked, and clears its wrong passwords.
func (s *Server) openSession(ctx context.Context, name string, h *passHash) (*Session, string, error) {
	id := randomToken()
	csrf := randomToken()
	if err := s.insertSession(ctx, hashHex(id), name, csrf, h.hash); err != nil {
		return nil, "", err
	}
	now := s.now()
	return &Session{Account: name, Role: h.role, CSRF: csrf, Created: now, LastSeen: now}, id, nil
}

// SessionOf returns the live session of a cookie's id and marks it used.
// A session idle past SessionIdle, older than SessionMax, or of a disabled
// account is ended and refused with ErrNoSession.
func (s *Server) SessionOf(ctx context.Context, id string) (*Session, error) {
	if id == "" || len(id) > 100 {
		return nil, ErrNoSession
	}
	h := hashHex(id)
	ss, err := s.loadSession(ctx, h)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if ss.Role == "" || now.Sub(ss.LastSeen) > s.sessionIdle || now.Sub(ss.Created) > s.sessionMax {
		if err := s.deleteSession(ctx, h); err != nil {
			return nil, err
		}
		return nil, ErrNoSession
	}
	ss.LastSeen = now
	return ss, s.touchSession(ctx, h)
}

// SessionExpiry is when a session seen now expires at the latest: the
// cookie's expiry.
func (s *Server) SessionExpiry(ss *Session) time.Time { return ss.Created.Add(s.sessionMax) }

// SignOut ends a session and forgets every expired one.
func (s *Server) SignOut(ctx context.Context, id string) error {
	if err := s.deleteSession(ctx, hashHex(id)); err != nil {
		return err
	}
	now := s.now()
	return s.deleteStaleSessions(ctx, now.Add(-s.sessionIdle), now.Add(-s.sessionMax))
}

// NewToken is a new random token (32 bytes, URL-safe): the sign-in form's
// CSRF token before any session.
func NewToken() string { return randomToken() }

// randomToken is 32 random bytes, URL-safe.
func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("countyd: system random source failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// SameToken compares a form's CSRF token with the session's in constant time.
func SameToken(a, b string) bool {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return a != "" && subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}
