package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
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
// failures lock the account for a while, so a lost laptop resists guessing.
func (s *Store) Unlock(ctx context.Context, user, password string) error {
	k, err := readKeySlot(ctx, s.db, user)
	if err != nil {
		return err
	}
	if time.Now().UnixMilli() < k.lockedUntil {
		return ErrLockedOut
	}
	key, err := unwrapKey(k.wrapped, password, k.salt, k.kdf)
	if err != nil {
		return s.noteFailure(ctx, user, k, err)
	}
	if _, err := s.db.ExecContext(ctx, "UPDATE keyslots SET failures = 0, locked_until = 0 WHERE username = ?", normUser(user)); err != nil {
		return err
	}
	seal, err := newSealer(key)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.seal = seal
	s.mu.Unlock()
	return s.startSession(ctx, user)
}

func (s *Store) noteFailure(ctx context.Context, user string, k *keySlot, cause error) error {
	failures := k.failures + 1
	var until int64
	if failures >= maxFailures {
		until = time.Now().Add(lockoutFor).UnixMilli()
		failures = 0
	}
	if _, err := s.db.ExecContext(ctx, "UPDATE keyslots SET failures = ?, locked_until = ? WHERE username = ?",
		failures, until, normUser(user)); err != nil {
		return err
	}
	if until != 0 {
		return ErrLockedOut
	}
	return cause
}

// startSession finds the account record of the user, sets the session and
// builds the search index of the persons the session may see.
func (s *Store) startSession(ctx context.Context, user string) error {
	sess := Session{User: normUser(user), Role: "officer"}
	accts, err := s.listAll(ctx, KindAccount)
	if err != nil {
		return err
	}
	for _, a := range accts {
		if normUser(a.Fields["username"]) == sess.User && !a.Archived {
			if a.Fields["disabled"] == "1" {
				s.Lock()
				return ErrBadPassword
			}
			sess.Role, sess.Volunteer = a.Fields["role"], a.Fields["volunteer"]
		}
	}
	s.mu.Lock()
	s.session = sess
	s.mu.Unlock()
	return s.reloadIndex(ctx)
}

// Lock forgets the data key and the session, as after 10 idle minutes.
func (s *Store) Lock() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seal, s.index, s.scope, s.session = nil, nil, nil, Session{}
}

// AddAccount creates a sign-in for another user (an officer's action). The new
// password wraps the same data key, so nothing is re-encrypted.
func (s *Store) AddAccount(ctx context.Context, user, password, role, volunteer string, kdf KDFParams) error {
	if kdf.Time == 0 {
		kdf = DefaultKDF
	}
	if len([]rune(password)) < 8 {
		return ErrWeakPassword
	}
	if s.Session().Role != "officer" {
		return ErrForbidden
	}
	s.mu.RLock()
	seal := s.seal
	s.mu.RUnlock()
	if seal == nil {
		return ErrLocked
	}
	key, err := s.currentDataKey(ctx)
	if err != nil {
		return err
	}
	return s.Update(ctx, func(tx *Tx) error {
		if err := insertKeySlot(ctx, tx.tx, key, user, password, kdf); err != nil {
			return err
		}
		_, err := tx.Put(KindAccount, "", map[string]string{"username": normUser(user), "role": role, "volunteer": volunteer})
		return err
	})
}

// currentDataKey is kept only inside the sealer; re-derive it from the
// signed-in user's slot is not possible without the password, so the store
// remembers it for account creation while unlocked.
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
	if len([]rune(newPassword)) < 8 {
		return ErrWeakPassword
	}
	k, err := readKeySlot(ctx, s.db, user)
	if err != nil {
		return err
	}
	key, err := unwrapKey(k.wrapped, oldPassword, k.salt, k.kdf)
	if err != nil {
		return err
	}
	salt := randomBytes(16)
	wrapped, err := wrapKey(key, newPassword, salt, k.kdf)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, "UPDATE keyslots SET salt = ?, wrapped = ? WHERE username = ?", salt, wrapped, user)
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	return nil
}
