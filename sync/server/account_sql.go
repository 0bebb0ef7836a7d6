package server

// Every query of the county workbench's accounts, sessions and audit log,
// in one place so that another database backend can port them together.
// Times are Unix milliseconds.

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// passHash is an account's stored argon2id hash and its parameters.
type passHash struct {
	hash, salt   []byte
	time, memory uint32
	threads      uint8
	disabl       int64
	role         string
}

func (s *Server) insertAccount(ctx context.Context, name, role string, h passHash) error {
	now := s.now().UnixMilli()
	res, err := s.db.ExecContext(ctx, `INSERT INTO county_accounts(username, role, pass_hash, salt, kdf_time, kdf_memory, kdf_threads, created_at, changed_at)
		VALUES(?,?,?,?,?,?,?,?,?) ON CONFLICT(username) DO NOTHING`, name, role, h.hash, h.salt, h.time, h.memory, h.threads, now, now)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrAccountExists
	}
	return nil
}

func (s *Server) loadPassHash(ctx context.Context, name string) (*passHash, error) {
	var h passHash
	err := s.db.QueryRowContext(ctx, `SELECT pass_hash, salt, kdf_time, kdf_memory, kdf_threads, disabled_at, role
		FROM county_accounts WHERE username = ?`, name).Scan(&h.hash, &h.salt, &h.time, &h.memory, &h.threads, &h.disabl, &h.role)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoAccount
	}
	return &h, err
}

// updatePassword sets a new hash, clears the failures and ends the
// account's sessions, in one transaction.
func (s *Server) updatePassword(ctx context.Context, name string, h passHash) error {
	return s.inTx(ctx, func(tx execer) error {
		res, err := tx.ExecContext(ctx, `UPDATE county_accounts SET pass_hash = ?, salt = ?, kdf_time = ?, kdf_memory = ?, kdf_threads = ?,
			failures = 0, locked_until = 0, changed_at = ? WHERE username = ?`, h.hash, h.salt, h.time, h.memory, h.threads, s.now().UnixMilli(), name)
		if err := affected(res, err); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM county_sessions WHERE username = ?", name)
		return err
	})
}

// setDisabled disables (ending its sessions) or enables an account.
func (s *Server) setDisabled(ctx context.Context, name string, disabled bool) error {
	at := int64(0)
	if disabled {
		at = s.now().UnixMilli()
	}
	return s.inTx(ctx, func(tx execer) error {
		res, err := tx.ExecContext(ctx, "UPDATE county_accounts SET disabled_at = ?, failures = 0, locked_until = 0 WHERE username = ?", at, name)
		if err := affected(res, err); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM county_sessions WHERE username = ?", name)
		return err
	})
}

func affected(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNoAccount
	}
	return nil
}

// execer is a transaction as the functions run by inTx see it: whatever
// the backend's transaction type, it executes statements.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// inTx runs fn in one write transaction.
func (s *Server) inTx(ctx context.Context, fn func(execer) error) error {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// Accounts lists the county accounts by name.
func (s *Server) Accounts(ctx context.Context) ([]Account, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT username, role, failures, locked_until, disabled_at, created_at, changed_at
		FROM county_accounts ORDER BY username`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		var a Account
		var locked, dis, cr, ch int64
		if err := rows.Scan(&a.Name, &a.Role, &a.Failures, &locked, &dis, &cr, &ch); err != nil {
			return nil, err
		}
		a.LockedUntil, a.Disabled, a.Created, a.Changed = msTime(locked), msTime(dis), msTime(cr), msTime(ch)
		out = append(out, a)
	}
	return out, rows.Err()
}

// insertSession opens a session, and clears the account's wrong
// passwords, only if the account still has the password hash the sign-in
// checked and is not disabled: a password changed or an account disabled
// (countyd user, maybe another process) while the password was being
// checked refuses the sign-in (ErrBadSignIn). The account's row is locked
// for the check (SQLite: the write transaction), so a change either waits
// for the session and ends it, or comes first and is seen.
func (s *Server) insertSession(ctx context.Context, idHash, name, csrf string, checked []byte) error {
	return s.inTx(ctx, func(tx execer) error {
		var hash []byte
		var disabled int64
		err := tx.QueryRowContext(ctx, "SELECT pass_hash, disabled_at FROM county_accounts WHERE username = ?"+s.forUpdate(), name).Scan(&hash, &disabled)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && (!bytes.Equal(hash, checked) || disabled != 0)) {
			s.log.Warn("county sign-in refused", "account", name, "reason", "password changed or account disabled meanwhile")
			return ErrBadSignIn
		}
		if err != nil {
			return err
		}
		now := s.now().UnixMilli()
		if _, err := tx.ExecContext(ctx, "INSERT INTO county_sessions(id_hash, username, csrf, created_at, last_seen) VALUES(?,?,?,?,?)",
			idHash, name, csrf, now, now); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE county_accounts SET failures = 0, locked_until = 0 WHERE username = ?", name)
		return err
	})
}

// forUpdate locks the rows a PostgreSQL query reads until the transaction
// ends; SQLite's write transactions are one at a time already.
func (s *Server) forUpdate() string {
	if s.db.pg {
		return " FOR UPDATE"
	}
	return ""
}

// loadSession reads a session with its account's role, "" for a session
// whose account is disabled.
func (s *Server) loadSession(ctx context.Context, idHash string) (*Session, error) {
	var ss Session
	var created, seen, disabled int64
	err := s.db.QueryRowContext(ctx, `SELECT s.username, a.role, s.csrf, s.created_at, s.last_seen, a.disabled_at
		FROM county_sessions s JOIN county_accounts a ON a.username = s.username WHERE s.id_hash = ?`, idHash).
		Scan(&ss.Account, &ss.Role, &ss.CSRF, &created, &seen, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoSession
	}
	if disabled != 0 {
		ss.Role = ""
	}
	ss.Created, ss.LastSeen = time.UnixMilli(created), time.UnixMilli(seen)
	return &ss, err
}

func (s *Server) touchSession(ctx context.Context, idHash string) error {
	_, err := s.db.ExecContext(ctx, "UPDATE county_sessions SET last_seen = ? WHERE id_hash = ?", s.now().UnixMilli(), idHash)
	return err
}

func (s *Server) deleteSession(ctx context.Context, idHash string) error {
	_, err := s.db.ExecContext(ctx, "DELETE FROM county_sessions WHERE id_hash = ?", idHash)
	return err
}

// deleteStaleSessions forgets sessions idle or old past their limits.
func (s *Server) deleteStaleSessions(ctx context.Context, idleSince, createdSince time.Time) error {
	_, err := s.db.ExecContext(ctx, "DELETE FROM county_sessions WHERE last_seen < ? OR created_at < ?", idleSince.UnixMilli(), createdSince.UnixMilli())
	return err
}

// WebAudit writes one entry of the workbench's audit log.
func (s *Server) WebAudit(ctx context.Context, e WebAuditEntry) error {
	at := s.now().UnixMilli()
	_, err := s.db.ExecContext(ctx, "INSERT INTO county_web_audit(id, at, username, remote, action, detail) VALUES(?,?,?,?,?,?)",
		auditID(at), at, e.Account, e.Remote, e.Action, e.Detail)
	return err
}

// auditSeq orders the entries one process writes within a millisecond.
var auditSeq atomic.Uint32

// auditID sorts as the entries were written: the time, a counter, and
// random bits so that several servers on one database never collide.
func auditID(at int64) string {
	return fmt.Sprintf("%016x%08x%s", at, auditSeq.Add(1), randomHex(8))
}

// WebAuditLog returns the latest entries of the workbench's audit log,
// newest first.
func (s *Server) WebAuditLog(ctx context.Context, limit int) ([]WebAuditEntry, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT at, username, remote, action, detail FROM county_web_audit ORDER BY id DESC LIMIT ?", limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []WebAuditEntry
	for rows.Next() {
		var e WebAuditEntry
		var at int64
		if err := rows.Scan(&at, &e.Account, &e.Remote, &e.Action, &e.Detail); err != nil {
			return nil, err
		}
		e.At = time.UnixMilli(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// DeviceAuditLog returns the latest entries the devices pushed (views,
// reveals, exports on the laptops), newest first.
func (s *Server) DeviceAuditLog(ctx context.Context, limit int) ([][]byte, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT entry FROM audit ORDER BY seq DESC LIMIT ?", limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// EnrollCodes lists the enrolment codes issued (their hashes only are
// kept), newest first.
func (s *Server) EnrollCodes(ctx context.Context) ([]EnrollCode, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT township, county, volunteer, device, created_at, expires_at, used_at, used_by
		FROM enroll_codes ORDER BY created_at DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []EnrollCode
	for rows.Next() {
		var c EnrollCode
		var cr, ex, used int64
		if err := rows.Scan(&c.Township, &c.County, &c.Volunteer, &c.Device, &cr, &ex, &used, &c.UsedBy); err != nil {
			return nil, err
		}
		c.Created, c.Expires, c.Used = msTime(cr), msTime(ex), msTime(used)
		out = append(out, c)
	}
	return out, rows.Err()
}
