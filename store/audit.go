package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Audit actions: what the log records. The GUI and CLI record views,
// exports, imports, reports and syncs with Audit; the store itself records
// sign-ins, account changes, ID reveals, backups and restores.
const (
	ActionViewPerson    = "view_person"
	ActionRevealID      = "reveal_id"
	ActionExport        = "export"
	ActionImport        = "import"
	ActionReport        = "report"
	ActionSync          = "sync"
	ActionSignIn        = "sign_in"
	ActionSignInFailed  = "sign_in_failed"
	ActionBackup        = "backup"
	ActionRestore       = "restore"
	ActionAccountChange = "account_change"
	// ActionRecord is a record added, edited or archived in the GUI; the
	// detail is "<add|edit|archive> <kind>" (the fields are in the history).
	ActionRecord = "record"
)

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	Seq      int64 // local order on this device; not shipped
	HLC      HLC
	Device   string
	Township string
	User     string
	Action   string
	RecordID string
	PersonID string    // the person the record belongs to, "" if none
	Time     time.Time // wall clock of the writing device
	Detail   string    // free text; never a person's name or ID number
}

// AuditFilter selects audit entries; zero fields match everything.
type AuditFilter struct {
	User     string
	Action   string
	PersonID string
	From, To time.Time // wall time range, To exclusive
	Limit    int       // newest entries first; 0 = all
}

const auditColumns = "seq, hlc, device, township, user_name, action, record_id, person_id, wall, sealed, detail"

// Audit records an action of the signed-in user on a record ("" for none).
// Call it outside Update; inside a transaction use Tx.Audit.
func (s *Store) Audit(ctx context.Context, action, recordID, detail string) error {
	seal, err := s.sealerOrErr()
	if err != nil {
		return err
	}
	return s.inAuditTx(ctx, func(q querier) error {
		return s.appendAudit(ctx, q, seal, s.newAuditEntry(ctx, q, action, recordID, detail))
	})
}

// Audit records an action in the same transaction as the writes it explains
// (an import, say), so that both are kept or neither.
func (tx *Tx) Audit(action, recordID, detail string) error {
	e := tx.s.newAuditEntry(tx.ctx, tx.tx, action, recordID, detail)
	if err := tx.s.appendAudit(tx.ctx, tx.tx, tx.seal, e); err != nil {
		return err
	}
	return tx.s.storeClock(tx.ctx, tx.tx)
}

// inAuditTx runs fn in a write transaction and persists the clock reading.
func (s *Store) inAuditTx(ctx context.Context, fn func(q querier) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	defer tx.Rollback()
	if _, err := s.joinStoredClock(ctx, tx); err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return err
	}
	if err := s.storeClock(ctx, tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

func (s *Store) newAuditEntry(ctx context.Context, q querier, action, recordID, detail string) *AuditEntry {
	return &AuditEntry{HLC: s.clock.Now(), Device: s.device, Township: s.township, User: s.Session().User,
		Action: action, RecordID: recordID, PersonID: personOf(ctx, q, recordID), Time: s.now(), Detail: detail}
}

// personOf finds the person a record belongs to from its clear metadata.
func personOf(ctx context.Context, q querier, recordID string) string {
	if recordID == "" {
		return ""
	}
	var p string
	q.QueryRowContext(ctx, "SELECT person_id FROM records WHERE id = ?", recordID).Scan(&p)
	return p
}

// appendAudit inserts an entry; an entry already present is left as it is.
// A nil sealer stores the detail unsealed (failed sign-ins only).
func (s *Store) appendAudit(ctx context.Context, q querier, seal *sealer, e *AuditEntry) error {
	if e.Action == "" || e.Device == "" || e.HLC.IsZero() {
		return fmt.Errorf("audit entry needs an action, a device and a clock reading")
	}
	detail, sealed := []byte(e.Detail), seal != nil
	if sealed {
		detail = seal.seal(detail, auditAD(e))
	}
	stmt := `INSERT INTO audit(hlc, device, township, user_name, action, record_id, person_id, wall, local, sealed, detail)
		VALUES(?,?,?,?,?,?,?,?,?,?,?)`
	if e.Device != s.device {
		stmt += " ON CONFLICT(hlc, device) DO NOTHING" // delivered twice; a local entry is always new
	}
	_, err := q.ExecContext(ctx, stmt,
		e.HLC.String(), e.Device, e.Township, e.User, e.Action, e.RecordID, e.PersonID, e.Time.UnixMilli(),
		e.Device == s.device, sealed, detail)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// auditAD binds a sealed detail to every clear column of its row, so that
// changing who, what, which record or when makes the row fail to open.
func auditAD(e *AuditEntry) []byte {
	return []byte(strings.Join([]string{"audit", e.HLC.String(), e.Device, e.Township, e.User, e.Action,
		e.RecordID, e.PersonID, strconv.FormatInt(e.Time.UnixMilli(), 10)}, "\x00"))
}

// The reasons a failed sign-in's audit entry gives, as its whole detail (a
// bare code, as devices have always written it): every reader words them
// in its own language.
const (
	SignInBadPassword = "bad_password" // a wrong password for a user of this device
	SignInUnknownUser = "unknown_user" // not a user of this device; the name is not kept
	SignInLockedOut   = "locked_out"   // tried before the wait after wrong passwords ended
	SignInDisabled    = "disabled"     // the account was disabled
	SignInTampered    = "tampered"     // the key slot or the accounts fail their integrity check
	SignInError       = "error"        // anything else (a database error)
)

// SignInFailureReasons lists every reason auditFailure writes, so that a
// reader can check it words them all.
var SignInFailureReasons = []string{SignInBadPassword, SignInUnknownUser, SignInLockedOut, SignInDisabled, SignInTampered, SignInError}

// signInFailureReason is the reason code of a sign-in's error.
func signInFailureReason(cause error) string {
	switch {
	case errors.Is(cause, ErrBadPassword):
		return SignInBadPassword
	case errors.Is(cause, ErrLockedOut):
		return SignInLockedOut
	case errors.Is(cause, ErrDisabled):
		return SignInDisabled
	case errors.Is(cause, ErrTampered):
		return SignInTampered
	}
	return SignInError
}

// auditFailure records a refused sign-in. No data key is known yet, so the
// entry is unsealed and holds only a reason code. Errors are dropped: the
// caller reports the sign-in error itself.
func (s *Store) auditFailure(ctx context.Context, user string, cause error) {
	if ctx.Err() != nil {
		return
	}
	reason := signInFailureReason(cause)
	e := &AuditEntry{Device: s.device, Township: s.township, User: normUser(user),
		Action: ActionSignInFailed, Time: s.now(), Detail: reason}
	if _, err := readKeySlot(ctx, s.db, user); errors.Is(err, ErrBadPassword) && reason == SignInBadPassword {
		// Not a user of this device: the text may be a password typed
		// into the wrong box, so it is not kept (nor sent to the county).
		e.User, e.Detail = "", SignInUnknownUser
	}
	s.inAuditTx(ctx, func(q querier) error {
		e.HLC = s.clock.Now() // under the write lock, after the stored clock
		return s.appendAudit(ctx, q, nil, e)
	})
}

// AuditLog lists audit entries, newest first, for officers and the county.
func (s *Store) AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	if r := s.Session().Role; r != "officer" && r != "county" {
		return nil, ErrForbidden
	}
	where, args := f.where()
	q := "WHERE 1=1" + where + " ORDER BY wall DESC, hlc DESC"
	if f.Limit > 0 {
		q += " LIMIT " + strconv.Itoa(f.Limit)
	}
	return s.queryAudit(ctx, q, args...)
}

func (f AuditFilter) where() (string, []any) {
	var w strings.Builder
	var args []any
	add := func(cond string, v any) {
		w.WriteString(" AND " + cond)
		args = append(args, v)
	}
	if f.User != "" {
		add("user_name = ?", normUser(f.User))
	}
	if f.Action != "" {
		add("action = ?", f.Action)
	}
	if f.PersonID != "" {
		add("person_id = ?", f.PersonID)
	}
	if !f.From.IsZero() {
		add("wall >= ?", f.From.UnixMilli())
	}
	if !f.To.IsZero() {
		add("wall < ?", f.To.UnixMilli())
	}
	return w.String(), args
}

// AuditSince returns up to limit entries written on this device after a
// local sequence number, oldest first: what a sync push sends to the county.
// Any signed-in account may push; entries name records only by id.
func (s *Store) AuditSince(ctx context.Context, afterSeq int64, limit int) ([]AuditEntry, error) {
	return s.queryAudit(ctx, "WHERE local = 1 AND seq > ? ORDER BY seq LIMIT ?", afterSeq, limit)
}

// ApplyRemoteAudit stores entries received from other devices (on a county
// device, or when a township officer pulls the county's log). Entries
// already present are skipped, so delivering twice is harmless; the detail
// is sealed again with this database's key.
func (s *Store) ApplyRemoteAudit(ctx context.Context, entries []AuditEntry) error {
	seal, err := s.sealerOrErr()
	if err != nil {
		return err
	}
	if s.Session().Role == "volunteer" {
		return ErrForbidden
	}
	return s.inAuditTx(ctx, func(q querier) error {
		for i := range entries {
			e := entries[i]
			if e.Device == s.device {
				continue // our own entries came back; ours are the originals
			}
			s.observeRemote(e.HLC)
			if err := s.appendAudit(ctx, q, sealerFor(e.Action, seal), &e); err != nil {
				return err
			}
		}
		return nil
	})
}

// sealerFor keeps the rule that failed sign-ins are stored unsealed on
// every device, and everything else sealed.
func sealerFor(action string, seal *sealer) *sealer {
	if action == ActionSignInFailed {
		return nil
	}
	return seal
}

func (s *Store) queryAudit(ctx context.Context, where string, args ...any) ([]AuditEntry, error) {
	seal, err := s.sealerOrErr()
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+auditColumns+" FROM audit "+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		e, err := scanAudit(seal, rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func scanAudit(seal *sealer, rows *sql.Rows) (AuditEntry, error) {
	var e AuditEntry
	var h string
	var wall int64
	var sealed bool
	var detail []byte
	if err := rows.Scan(&e.Seq, &h, &e.Device, &e.Township, &e.User, &e.Action, &e.RecordID, &e.PersonID,
		&wall, &sealed, &detail); err != nil {
		return e, err
	}
	var err error
	if e.HLC, err = ParseHLC(h); err != nil {
		return e, fmt.Errorf("audit entry %d: %w", e.Seq, err)
	}
	e.Time = time.UnixMilli(wall)
	if !sealed {
		// Only failed sign-ins are written without a key; an unsealed row
		// of any other kind was forged outside RehabDesk.
		if e.Action != ActionSignInFailed {
			return e, fmt.Errorf("audit entry %d: %w", e.Seq, ErrTampered)
		}
		e.Detail = string(detail)
		return e, nil
	}
	plain, err := seal.open(detail, auditAD(&e))
	if err != nil {
		return e, fmt.Errorf("audit entry %d: %w", e.Seq, err)
	}
	e.Detail = string(plain)
	return e, nil
}

// ViewPerson opens a person's file and records the view in the audit log.
// The GUI calls it when an officer or volunteer opens a file.
func (s *Store) ViewPerson(ctx context.Context, personID string) (*Record, error) {
	r, err := s.Get(ctx, personID)
	if err != nil {
		return nil, err
	}
	if r.Kind != KindPerson {
		return nil, ErrNotFound
	}
	return r, s.Audit(ctx, ActionViewPerson, personID, "")
}

// RevealID returns a person's full ID number to an officer or the county and
// records the reveal. Lists and forms show the masked number; volunteers
// never get the full one.
func (s *Store) RevealID(ctx context.Context, personID string) (string, error) {
	if r := s.Session().Role; r != "officer" && r != "county" {
		return "", ErrForbidden
	}
	r, err := s.Get(ctx, personID)
	if err != nil {
		return "", err
	}
	if r.Kind != KindPerson {
		return "", ErrNotFound
	}
	if err := s.Audit(ctx, ActionRevealID, personID, ""); err != nil {
		return "", err
	}
	return r.Fields["id_number"], nil
}

// noteRestore records, at the first sign-in into a restored database, that
// it was restored from a backup (Restore runs before anyone signs in).
func (s *Store) noteRestore(ctx context.Context) {
	at, err := metaGet(ctx, s.db, "restored_at")
	if err != nil || at == "" {
		return
	}
	from, _ := metaGet(ctx, s.db, "restored_from_device")
	if s.Audit(ctx, ActionRestore, "", AuditDetail(AuditRestored, at, from)) == nil {
		s.db.ExecContext(ctx, "DELETE FROM meta WHERE key = 'restored_at'")
	}
}
