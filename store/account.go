package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"rehabdesk/internal/i18n"
)

// ErrDisabled means the account was disabled by an officer. Its key slot on
// this device is erased, so the password no longer unwraps the data key.
var ErrDisabled = i18n.NewError("security.error.disabled", "account is disabled")

// Errors of account management, with their own translation keys.
var (
	ErrUserName          = i18n.NewError("security.error.user_name", "user name is empty")
	ErrVolunteerRequired = i18n.NewError("security.error.volunteer_required", "a volunteer account needs the volunteer's record")
	ErrVolunteerRole     = i18n.NewError("security.error.volunteer_role", "only volunteer accounts are linked to a volunteer")
)

func insertKeySlot(ctx context.Context, q querier, dataKey []byte, user, password string, p KDFParams) error {
	salt := randomBytes(16)
	wrapped, err := wrapKey(dataKey, password, salt, p)
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, `INSERT INTO keyslots(username, salt, kdf_time, kdf_memory, kdf_threads, wrapped)
		VALUES(?, ?, ?, ?, ?, ?)`, normUser(user), salt, p.Time, p.Memory, p.Threads, wrapped)
	if err != nil && strings.Contains(err.Error(), "UNIQUE") {
		return ErrUserExists
	}
	return err
}

func normUser(u string) string { return strings.ToLower(strings.TrimSpace(u)) }

type keySlot struct {
	salt, wrapped []byte
	kdf           KDFParams
	failures      int
	lockedUntil   int64
}

func readKeySlot(ctx context.Context, q querier, user string) (*keySlot, error) {
	var k keySlot
	err := q.QueryRowContext(ctx, `SELECT salt, wrapped, kdf_time, kdf_memory, kdf_threads, failures, locked_until
		FROM keyslots WHERE username = ?`, normUser(user)).
		Scan(&k.salt, &k.wrapped, &k.kdf.Time, &k.kdf.Memory, &k.kdf.Threads, &k.failures, &k.lockedUntil)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrBadPassword
	}
	return &k, err
}

// Unlock signs a user in: their password unwraps the data key. Repeated
// failures make each next try wait longer (throttle.go), so guessing at the
// keyboard is slow while a mistyped password costs the officer little.
// Every attempt is written to the audit log.
func (s *Store) Unlock(ctx context.Context, user, password string) error {
	key, err := s.unwrapFor(ctx, user, password)
	if err != nil {
		s.auditFailure(ctx, user, err)
		return err
	}
	seal, err := newSealer(key)
	if err != nil {
		return err
	}
	if err := s.startSession(ctx, user, seal); err != nil {
		s.Lock()
		s.auditFailure(ctx, user, err)
		return err
	}
	s.noteRestore(ctx)
	if err := s.Audit(ctx, ActionSignIn, "", ""); err != nil {
		// No unaudited sessions: the log must show every sign-in.
		s.Lock()
		return err
	}
	return nil
}

// unwrapFor checks the password against the user's key slot, counting
// failures. An attempt while the account must wait is refused, but only
// after the same key derivation as any other attempt: the time an answer
// takes tells nothing about the account.
func (s *Store) unwrapFor(ctx context.Context, user, password string) ([]byte, error) {
	k, err := readKeySlot(ctx, s.db, user)
	if errors.Is(err, ErrBadPassword) {
		// Spend the same effort as a real slot, so that timing does not
		// tell which user names exist on this laptop.
		unwrapKey(nil, password, make([]byte, 16), s.newSlotKDF())
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	key, err := unwrapKey(k.wrapped, password, k.salt, k.kdf)
	if wait := time.UnixMilli(k.lockedUntil).Sub(s.now()); wait > 0 {
		return nil, &ThrottledError{Wait: wait}
	}
	if err != nil {
		return nil, s.noteFailure(ctx, user, k, err)
	}
	if _, err := s.db.ExecContext(ctx, "UPDATE keyslots SET failures = 0, locked_until = 0 WHERE username = ?", normUser(user)); err != nil {
		return nil, err
	}
	return key, nil
}

// noteFailure counts a wrong password and sets how long the next try must
// wait (see throttleDelay).
func (s *Store) noteFailure(ctx context.Context, user string, k *keySlot, cause error) error {
	failures := k.failures + 1
	var until int64
	if d := throttleDelay(failures); d > 0 {
		until = s.now().Add(d).UnixMilli()
	}
	if _, err := s.db.ExecContext(ctx, "UPDATE keyslots SET failures = ?, locked_until = ? WHERE username = ?",
		failures, until, normUser(user)); err != nil {
		return err
	}
	return cause
}

// startSession finds the account record of the user, then publishes the
// data key, the session, its scope and its index together: a data key
// without its session (or a volunteer without their scope) for a moment
// would let a concurrent read see everything. A key slot without a live
// account record is refused, except while Create makes the very first
// account: a removed account must not fall back to officer.
func (s *Store) startSession(ctx context.Context, user string, seal *sealer) error {
	accts, err := s.loadOpen(ctx, seal, KindAccount)
	if err != nil {
		return err
	}
	if err := s.pruneKeySlots(ctx, accts); err != nil {
		return err
	}
	sess, err := sessionOf(accts, user)
	if err != nil {
		return err
	}
	idx, scope, err := s.buildIndex(ctx, sess, seal)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.seal, s.session, s.index, s.scope = seal, sess, idx, scope
	s.mu.Unlock()
	return nil
}

// sessionOf finds the user's role among the live account records.
func sessionOf(accts []*Record, user string) (Session, error) {
	sess := Session{User: normUser(user), Role: "officer"}
	found := false
	for _, a := range accts {
		if normUser(a.Fields["username"]) != sess.User {
			continue
		}
		if a.Fields["disabled"] == "1" {
			return Session{}, ErrDisabled
		}
		sess.Role, sess.Volunteer, found = a.Fields["role"], a.Fields["volunteer"], true
	}
	if !found && len(accts) > 0 {
		return Session{}, ErrBadPassword
	}
	return sess, nil
}

// pruneKeySlots erases this device's key slots of disabled accounts. A
// disable made on another device arrives by sync as an account record; the
// next sign-in here then removes the slot, so the old password stops working.
func (s *Store) pruneKeySlots(ctx context.Context, accts []*Record) error {
	for _, a := range accts {
		if a.Fields["disabled"] != "1" {
			continue
		}
		if _, err := s.db.ExecContext(ctx, "DELETE FROM keyslots WHERE username = ?", normUser(a.Fields["username"])); err != nil {
			return fmt.Errorf("erase key slot: %w", err)
		}
	}
	return nil
}

// Lock forgets the data key and the session, as after 10 idle minutes.
// First it brings the sealed search snapshot up to date with the session's
// writes (index_snapshot.go), so that the next sign-in need not re-read them.
func (s *Store) Lock() {
	s.mu.RLock()
	seal, idx := s.seal, s.index
	s.mu.RUnlock()
	if seal != nil && idx != nil {
		s.saveSnapshot(context.Background(), seal) // best effort
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seal, s.index, s.scope, s.session = nil, nil, nil, Session{}
}

// newSlotKDF is the cost of new key slots: the store's option, else DefaultKDF.
func (s *Store) newSlotKDF() KDFParams {
	if s.kdf.Time == 0 {
		return DefaultKDF
	}
	return s.kdf
}

// Accounts across devices: an account is a record (KindAccount: user name,
// role, volunteer link, disabled flag) and syncs like any record, but a key
// slot (the data key wrapped by the password) belongs to one database file,
// because each device has its own data key. So an account can sign in only
// on devices where it has a slot. A volunteer gets one on their own laptop
// when an officer, signed in on that laptop's database, runs AddAccount (or
// `rehabdesk user add --db LAPTOP.db --name … --role volunteer --volunteer …`)
// and the volunteer then changes the password (`rehabdesk passwd`).
// Disabling an account erases its slot here at once and, once the record
// has synced, on every other device at its next sign-in.

// AddAccount creates a sign-in for another user (an officer's action). The new
// password wraps the same data key, so nothing is re-encrypted. When an
// account of that name already came by sync (made on another device), only
// the key slot is added: that is how a volunteer gets a sign-in on their own
// laptop — an officer runs AddAccount on that laptop's database.
func (s *Store) AddAccount(ctx context.Context, user, password, role, volunteer string, kdf KDFParams) error {
	if kdf.Time == 0 {
		kdf = s.newSlotKDF()
	}
	if err := checkNewAccount(user, password, role, volunteer); err != nil {
		return err
	}
	if s.Session().Role != "officer" {
		return ErrForbidden
	}
	key, err := s.currentDataKey(ctx)
	if err != nil {
		return err
	}
	err = s.Update(ctx, func(tx *Tx) error {
		if err := insertKeySlot(ctx, tx.tx, key, user, password, kdf); err != nil {
			return err
		}
		return tx.putAccount(user, role, volunteer)
	})
	if err != nil {
		return err
	}
	return s.Audit(ctx, ActionAccountChange, "", AuditDetail(AuditAddAccount, normUser(user), role))
}

// checkNewAccount validates what AddAccount is given before any work.
func checkNewAccount(user, password, role, volunteer string) error {
	if normUser(user) == "" {
		return ErrUserName
	}
	if err := CheckPassword(user, password); err != nil {
		return err
	}
	if role == "volunteer" && volunteer == "" {
		return ErrVolunteerRequired
	}
	if role != "volunteer" && volunteer != "" {
		return ErrVolunteerRole
	}
	return nil
}

// putAccount creates the account record, or updates the live one of the
// same user name (an account synced from another device).
func (tx *Tx) putAccount(user, role, volunteer string) error {
	existing, err := tx.accountRecord(user)
	if err != nil {
		return err
	}
	id := ""
	if existing != nil {
		if existing.Fields["disabled"] == "1" {
			return ErrDisabled
		}
		id = existing.ID
	}
	_, err = tx.Put(KindAccount, id, map[string]string{"username": normUser(user), "role": role, "volunteer": volunteer})
	return err
}

// accountRecord finds the live account record of a user name, or nil.
func (tx *Tx) accountRecord(user string) (*Record, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, "SELECT "+recordColumns+" FROM records WHERE kind = ? AND archived = 0", string(KindAccount))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := tx.s.scanRecord(tx.seal, rows)
		if err != nil {
			return nil, err
		}
		if normUser(r.Fields["username"]) == normUser(user) {
			return r, nil
		}
	}
	return nil, rows.Err()
}

// currentDataKey returns a copy of the data key the sealer holds while the
// store is unlocked; new key slots wrap it, since no other slot can be
// opened without its owner's password.
func (s *Store) currentDataKey(ctx context.Context) ([]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.seal == nil || s.seal.dataKey == nil {
		return nil, ErrLocked
	}
	return append([]byte(nil), s.seal.dataKey...), nil
}

// ChangePassword rewraps the data key for the signed-in user.
func (s *Store) ChangePassword(ctx context.Context, oldPassword, newPassword string) error {
	user := s.Session().User
	if user == "" {
		return ErrLocked
	}
	if err := CheckPassword(user, newPassword); err != nil {
		return err
	}
	k, err := readKeySlot(ctx, s.db, user)
	if err != nil {
		return err
	}
	key, err := unwrapKey(k.wrapped, oldPassword, k.salt, k.kdf)
	if err != nil {
		return err
	}
	if err := s.replaceKeySlot(ctx, user, key, newPassword, k.kdf); err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	return s.Audit(ctx, ActionAccountChange, "", AuditDetail(AuditPassword, user))
}

// replaceKeySlot writes (or rewrites) a user's slot and clears its failures.
func (s *Store) replaceKeySlot(ctx context.Context, user string, key []byte, password string, kdf KDFParams) error {
	salt := randomBytes(16)
	wrapped, err := wrapKey(key, password, salt, kdf)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO keyslots(username, salt, kdf_time, kdf_memory, kdf_threads, wrapped)
		VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(username) DO UPDATE SET salt = excluded.salt, wrapped = excluded.wrapped,
		kdf_time = excluded.kdf_time, kdf_memory = excluded.kdf_memory, kdf_threads = excluded.kdf_threads,
		failures = 0, locked_until = 0`, normUser(user), salt, kdf.Time, kdf.Memory, kdf.Threads, wrapped)
	return err
}

// SetPassword is an officer's reset of another account's password on this
// device (a forgotten password, or a synced account's first key slot here).
// The account must exist and not be disabled.
func (s *Store) SetPassword(ctx context.Context, user, newPassword string) error {
	if s.Session().Role != "officer" {
		return ErrForbidden
	}
	if err := CheckPassword(user, newPassword); err != nil {
		return err
	}
	a, err := s.account(ctx, user)
	if err != nil {
		return err
	}
	if a.Disabled {
		return ErrDisabled
	}
	key, err := s.currentDataKey(ctx)
	if err != nil {
		return err
	}
	if err := s.replaceKeySlot(ctx, user, key, newPassword, s.newSlotKDF()); err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	return s.Audit(ctx, ActionAccountChange, a.ID, AuditDetail(AuditResetPassword, a.User))
}

// DisableAccount stops an account from signing in anywhere: the account
// record (which syncs) is marked disabled and this device's key slot is
// erased in the same transaction. Officers cannot disable themselves, so a
// township never locks out its last officer by mistake.
func (s *Store) DisableAccount(ctx context.Context, user string) error {
	sess := s.Session()
	if sess.Role != "officer" {
		return ErrForbidden
	}
	if normUser(user) == sess.User {
		return fmt.Errorf("%w: an officer cannot disable their own account", ErrForbidden)
	}
	a, err := s.account(ctx, user)
	if err != nil {
		return err
	}
	err = s.Update(ctx, func(tx *Tx) error {
		if _, err := tx.Put(KindAccount, a.ID, map[string]string{"disabled": "1"}); err != nil {
			return err
		}
		_, err := tx.tx.ExecContext(ctx, "DELETE FROM keyslots WHERE username = ?", normUser(user))
		return err
	})
	if err != nil {
		return err
	}
	return s.Audit(ctx, ActionAccountChange, a.ID, AuditDetail(AuditDisable, a.User))
}

// Account is a sign-in as the account list shows it.
type Account struct {
	ID        string // account record id
	User      string
	Role      string
	Volunteer string // volunteer record id of a volunteer account
	Disabled  bool
	KeySlot   bool // the account can sign in on this device
}

// Accounts lists the accounts: all of them for officers, one's own for others.
func (s *Store) Accounts(ctx context.Context) ([]Account, error) {
	recs, err := s.List(ctx, KindAccount, ListFilter{})
	if err != nil {
		return nil, err
	}
	slots, err := s.keySlotUsers(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Account, 0, len(recs))
	for _, r := range recs {
		u := normUser(r.Fields["username"])
		out = append(out, Account{ID: r.ID, User: u, Role: r.Fields["role"], Volunteer: r.Fields["volunteer"],
			Disabled: r.Fields["disabled"] == "1", KeySlot: slots[u]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].User < out[j].User })
	return out, nil
}

func (s *Store) keySlotUsers(ctx context.Context) (map[string]bool, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT username FROM keyslots")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, err
		}
		out[u] = true
	}
	return out, rows.Err()
}

// account finds one account the session may see by user name.
func (s *Store) account(ctx context.Context, user string) (Account, error) {
	as, err := s.Accounts(ctx)
	if err != nil {
		return Account{}, err
	}
	for _, a := range as {
		if a.User == normUser(user) {
			return a, nil
		}
	}
	return Account{}, fmt.Errorf("account %q: %w", normUser(user), ErrNotFound)
}
