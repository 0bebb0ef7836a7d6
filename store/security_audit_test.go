package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// actions lists the actions of entries, oldest first.
func actions(es []AuditEntry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[len(es)-1-i] = e.Action + ":" + e.User
	}
	return out
}

func TestSignInsAndFailuresAreAudited(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.db")
	s := newTestStoreAt(t, path, nil)
	s.Lock()
	if err := s.Unlock(ctx, "officer", "wrong-pass"); !errors.Is(err, ErrBadPassword) {
		t.Fatal(err)
	}
	if err := s.Unlock(ctx, "Nobody", "wrong-pass"); !errors.Is(err, ErrBadPassword) {
		t.Fatal(err)
	}
	if err := s.Unlock(ctx, "officer", "secret-pass"); err != nil {
		t.Fatal(err)
	}
	es, err := s.AuditLog(ctx, AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(actions(es), " ")
	want := "sign_in:officer sign_in_failed:officer sign_in_failed: sign_in:officer"
	if got != want {
		t.Fatalf("audit after sign-ins:\n got %s\nwant %s", got, want)
	}
	if es[1].Detail != "unknown_user" || es[2].Detail != "bad_password" || es[0].Device != s.Device() || es[0].Township != testTownship {
		t.Fatalf("entries: %+v", es[:2])
	}
}

func TestViewRevealAndExportAreAuditedAndFiltered(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	num := idWithCheck("52010219900101123")
	p := mustPut(t, s, KindPerson, "", map[string]string{"name": "张三", "id_number": num})
	q := mustPut(t, s, KindPerson, "", map[string]string{"name": "李四", "id_number": idWithCheck("52010219900101456")})
	visit := mustPut(t, s, KindVisit, "", map[string]string{"person": p, "date": "2025-01-04", "visitor_kind": "staff", "mode": "home"})
	if _, err := s.ViewPerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	if got, err := s.RevealID(ctx, p); err != nil || got != num {
		t.Fatalf("reveal: %q %v", got, err)
	}
	if err := s.Audit(ctx, ActionExport, visit, "ledger.xlsx"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ViewPerson(ctx, q); err != nil {
		t.Fatal(err)
	}
	mine, err := s.AuditLog(ctx, AuditFilter{PersonID: p})
	if err != nil || strings.Join(actions(mine), " ") != "view_person:officer reveal_id:officer export:officer" {
		t.Fatalf("audit of one person: %v %v", actions(mine), err)
	}
	if mine[0].RecordID != visit || mine[0].Detail != "ledger.xlsx" {
		t.Fatalf("export entry: %+v", mine[0])
	}
	views, err := s.AuditLog(ctx, AuditFilter{Action: ActionViewPerson, User: "OFFICER"})
	if err != nil {
		t.Fatal(err)
	}
	future, err := s.AuditLog(ctx, AuditFilter{From: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if len(views) != 2 || len(future) != 0 {
		t.Fatalf("filters: %d views, %d in the future", len(views), len(future))
	}
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	if err := s.Audit(ctx, ActionReport, "", "monthly"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"UPDATE audit SET user_name = 'x'", "DELETE FROM audit", "UPDATE audit SET detail = x'00'"} {
		if _, err := s.db.ExecContext(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: got %v, want refusal", q, err)
		}
	}
	if es, err := s.AuditLog(ctx, AuditFilter{Action: ActionReport}); err != nil || len(es) != 1 || es[0].Detail != "monthly" {
		t.Fatalf("entry changed: %+v (error %v)", es, err)
	}
}

func TestEditedAuditEntryIsRefused(t *testing.T) {
	ctx := context.Background()
	cases := map[string]string{
		"sealed row, other user": "UPDATE audit SET user_name = 'someone' WHERE action = 'report'",
		"sealed row, other time": "UPDATE audit SET wall = wall - 86400000 WHERE action = 'report'",
		"forged unsealed row":    "UPDATE audit SET action = 'report' WHERE action = 'sign_in_failed'",
	}
	for name, q := range cases {
		t.Run(name, func(t *testing.T) {
			s := newTestStore(t)
			s.Lock()
			s.Unlock(ctx, "officer", "wrong-pass")
			if err := s.Unlock(ctx, "officer", "secret-pass"); err != nil {
				t.Fatal(err)
			}
			if err := s.Audit(ctx, ActionReport, "", "monthly"); err != nil {
				t.Fatal(err)
			}
			// Someone with the file and the sqlite3 tool can drop the
			// triggers; sealing still gives the edit away.
			for _, tr := range []string{"DROP TRIGGER audit_no_update", q} {
				if _, err := s.db.ExecContext(ctx, tr); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.AuditLog(ctx, AuditFilter{}); !errors.Is(err, ErrTampered) {
				t.Fatalf("got %v, want ErrTampered", err)
			}
		})
	}
}

func TestAuditInsideATransactionRollsBackWithIt(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	boom := errors.New("boom")
	err := s.Update(ctx, func(tx *Tx) error {
		if err := tx.Audit(ActionImport, "", "ledger.csv"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if es, err := s.AuditLog(ctx, AuditFilter{Action: ActionImport}); err != nil || len(es) != 0 {
		t.Fatalf("audit of a failed import kept: %+v (error %v)", es, err)
	}
}

func TestAuditEntriesShipToAnotherDeviceOnce(t *testing.T) {
	ctx := context.Background()
	a, b := newTestStore(t), newTestStore(t)
	p := mustPut(t, a, KindPerson, "", map[string]string{"name": "张三", "id_number": idWithCheck("52010219900101123")})
	if _, err := a.ViewPerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	a.Lock()
	a.Unlock(ctx, "officer", "wrong-pass")
	a.Unlock(ctx, "officer", "secret-pass")
	push, err := a.AuditSince(ctx, 0, 100)
	if err != nil || len(push) != 4 { // sign_in, view, failed, sign_in
		t.Fatalf("push: %d entries, %v", len(push), err)
	}
	for i := 0; i < 2; i++ { // delivered twice
		if err := b.ApplyRemoteAudit(ctx, push); err != nil {
			t.Fatal(err)
		}
	}
	got, err := b.AuditLog(ctx, AuditFilter{PersonID: p})
	if err != nil || len(got) != 1 || got[0].Device != a.Device() || got[0].Action != ActionViewPerson {
		t.Fatalf("pulled view: %+v %v", got, err)
	}
	if fromB, err := b.AuditSince(ctx, 0, 100); err != nil || len(fromB) != 1 { // only b's own sign-in
		t.Fatalf("b would push back %d entries (error %v)", len(fromB), err)
	}
	if !a.Clock().Last().Less(b.Clock().Now()) {
		t.Fatal("receiving device's clock did not move past the entries it observed")
	}
	if all, err := b.AuditLog(ctx, AuditFilter{}); err != nil || len(all) != 5 {
		t.Fatalf("b has %d entries, want 5 (error %v)", len(all), err)
	}
}

func TestLockoutEndsAfterItsTimeAndIsAudited(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "l.db")
	s := newTestStoreAt(t, path, func() time.Time { return now })
	s.Lock()
	for i := 0; i <= freeFailures; i++ {
		s.Unlock(ctx, "officer", "wrong-pass")
	}
	if err := s.Unlock(ctx, "officer", "secret-pass"); !errors.Is(err, ErrLockedOut) {
		t.Fatalf("during the wait: %v", err)
	}
	now = now.Add(throttleDelay(freeFailures+1) + time.Second)
	if err := s.Unlock(ctx, "officer", "secret-pass"); err != nil {
		t.Fatalf("after lockout: %v", err)
	}
	es, err := s.AuditLog(ctx, AuditFilter{Action: ActionSignInFailed})
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]int{}
	for _, e := range es {
		reasons[e.Detail]++
	}
	if reasons["bad_password"] != freeFailures+1 || reasons["locked_out"] != 1 {
		t.Fatalf("failure reasons: %v", reasons)
	}
}

// TestSignInFailureReasonsAreCodesReadersKnow: each cause of a refused
// sign-in is written as one of SignInFailureReasons, and a key slot
// altered on disk is recorded as tampered, not as a wrong password.
func TestSignInFailureReasonsAreCodesReadersKnow(t *testing.T) {
	for cause, want := range map[error]string{
		ErrBadPassword: SignInBadPassword, &ThrottledError{Wait: time.Minute}: SignInLockedOut,
		fmt.Errorf("start session: %w", ErrDisabled): SignInDisabled, fmt.Errorf("open account: %w", ErrTampered): SignInTampered,
		errors.New("database is locked"): SignInError,
	} {
		if got := signInFailureReason(cause); got != want || !slices.Contains(SignInFailureReasons, got) {
			t.Errorf("%v recorded as %q, want %q (listed: %v)", cause, got, want, SignInFailureReasons)
		}
	}
	ctx := context.Background()
	s := newTestStoreAt(t, filepath.Join(t.TempDir(), "t.db"), nil)
	s.Lock()
	if _, err := s.db.ExecContext(ctx, "UPDATE keyslots SET wrapped = x'00' WHERE username = 'officer'"); err != nil {
		t.Fatal(err)
	}
	if err := s.Unlock(ctx, "officer", "secret-pass"); !errors.Is(err, ErrTampered) {
		t.Fatalf("sign-in with an altered key slot: %v", err)
	}
	var detail string
	if err := s.db.QueryRowContext(ctx, "SELECT detail FROM audit WHERE action = ? ORDER BY seq DESC LIMIT 1", ActionSignInFailed).Scan(&detail); err != nil {
		t.Fatal(err)
	}
	if detail != SignInTampered {
		t.Errorf("altered key slot audited as %q", detail)
	}
}
