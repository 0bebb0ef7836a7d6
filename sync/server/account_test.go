package server

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
)

func accountServer(t *testing.T) (*Server, *storetest.Clock) {
	t.Helper()
	c := storetest.NewClock(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	s := openTest(t, Options{Now: c.Now, PasswordKDF: storetest.FastKDF})
	if err := s.AddAccount(context.Background(), " Wang.Li ", RoleStaff, "county-office-2026"); err != nil {
		t.Fatal(err)
	}
	return s, c
}

func TestAccountRulesRefuseBadInput(t *testing.T) {
	s, _ := accountServer(t)
	ctx := context.Background()
	for _, c := range []struct {
		name, role, pw string
		want           error
	}{
		{"zhao", RoleAdmin, "short", store.ErrWeakPassword},
		{"zhao", RoleAdmin, "1234567890", store.ErrCommonPassword},
		{"zhao", "root", "county-office-2026", ErrBadRole},
		{"a b", RoleStaff, "county-office-2026", ErrBadUserName},
		{"WANG.LI", RoleAdmin, "another-long-pass", ErrAccountExists},
	} {
		if err := s.AddAccount(ctx, c.name, c.role, c.pw); !errors.Is(err, c.want) {
			t.Errorf("AddAccount(%q, %q, %q) = %v, want %v", c.name, c.role, c.pw, err, c.want)
		}
	}
	as, err := s.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 1 || as[0].Name != "wang.li" || as[0].Role != RoleStaff {
		t.Fatalf("accounts %+v", as)
	}
}

// TestSignInWaitsGrow: three wrong passwords are free, then each costs a
// doubling wait during which even the right password is refused; the
// right one after the wait clears the count.
func TestSignInWaitsGrow(t *testing.T) {
	s, c := accountServer(t)
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if _, _, err := s.SignIn(ctx, "wang.li", "wrong-password", "10.0.0.9"); !errors.Is(err, ErrBadSignIn) {
			t.Fatalf("wrong password %d: %v", i, err)
		}
	}
	for _, want := range []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second} {
		if _, _, err := s.SignIn(ctx, "wang.li", "wrong-password", "10.0.0.9"); !errors.Is(err, ErrBadSignIn) {
			t.Fatalf("wrong password: %v", err)
		}
		var we *SignInWaitError
		if _, _, err := s.SignIn(ctx, "wang.li", "county-office-2026", "10.0.0.9"); !errors.As(err, &we) || we.Wait != want {
			t.Fatalf("right password during the wait: %v, want a wait of %s", err, want)
		}
		c.Add(want)
	}
	if _, _, err := s.SignIn(ctx, "wang.li", "county-office-2026", "10.0.0.9"); err != nil {
		t.Fatalf("right password after the wait: %v", err)
	}
	if as, err := s.Accounts(ctx); err != nil {
		t.Fatal(err)
	} else if as[0].Failures != 0 {
		t.Errorf("failures not cleared: %d", as[0].Failures)
	}
}

// TestUnknownNamesSlowTheAddress: guessing names that do not exist costs
// the same waits, per remote address, after ten free tries (each name
// another, as one name alone meets an account's waits); another address
// is not slowed.
func TestUnknownNamesSlowTheAddress(t *testing.T) {
	s, _ := accountServer(t)
	ctx := context.Background()
	for i := 0; i < 10; i++ {
		if _, _, err := s.SignIn(ctx, "nobody-"+string(rune('a'+i)), "county-office-2026", "10.0.0.66"); !errors.Is(err, ErrBadSignIn) {
			t.Fatalf("unknown name %d: %v", i, err)
		}
	}
	if _, _, err := s.SignIn(ctx, "nobody-z", "county-office-2026", "10.0.0.66"); !errors.Is(err, ErrBadSignIn) {
		t.Fatal(err)
	}
	var we *SignInWaitError
	if _, _, err := s.SignIn(ctx, "wang.li", "county-office-2026", "10.0.0.66"); !errors.As(err, &we) {
		t.Fatalf("the guessing address is not slowed: %v", err)
	}
	if _, _, err := s.SignIn(ctx, "wang.li", "county-office-2026", "10.0.0.7"); err != nil {
		t.Fatalf("another address is slowed too: %v", err)
	}
}

func TestSessionsExpireAndAreStoredHashed(t *testing.T) {
	s, c := accountServer(t)
	ctx := context.Background()
	_, id, err := s.SignIn(ctx, "wang.li", "county-office-2026", "10.0.0.9")
	if err != nil {
		t.Fatal(err)
	}
	var stored int
	err = s.db.QueryRowContext(ctx, "SELECT count(*) FROM county_sessions WHERE id_hash = ? OR csrf = ?", id, id).Scan(&stored)
	if err != nil || stored != 0 {
		t.Fatal("the session id is stored in clear")
	}
	// Used every 29 minutes, it lives until its absolute limit (10 h).
	for i := 0; i < 20; i++ {
		c.Add(29 * time.Minute)
		if _, err := s.SessionOf(ctx, id); err != nil {
			t.Fatalf("used session refused after %d × 29 min: %v", i+1, err)
		}
	}
	c.Add(29 * time.Minute) // 10 h 9 min after sign-in
	if _, err := s.SessionOf(ctx, id); !errors.Is(err, ErrNoSession) {
		t.Fatalf("session past its absolute limit: %v", err)
	}
	var errCall error
	_, id, errCall = s.SignIn(ctx, "wang.li", "county-office-2026", "10.0.0.9")
	if errCall != nil {
		t.Fatal(errCall)
	}
	c.Add(31 * time.Minute)
	if _, err := s.SessionOf(ctx, id); !errors.Is(err, ErrNoSession) {
		t.Fatalf("idle session: %v", err)
	}
}

func TestDisableAndPasswordEndSessions(t *testing.T) {
	s, _ := accountServer(t)
	ctx := context.Background()
	_, id, err := s.SignIn(ctx, "wang.li", "county-office-2026", "10.0.0.9")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetPassword(ctx, "wang.li", "a-new-long-password"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionOf(ctx, id); !errors.Is(err, ErrNoSession) {
		t.Fatalf("session outlived a password change: %v", err)
	}
	if _, _, err := s.SignIn(ctx, "wang.li", "county-office-2026", "10.0.0.9"); !errors.Is(err, ErrBadSignIn) {
		t.Fatalf("old password: %v", err)
	}
	_, id, err = s.SignIn(ctx, "wang.li", "a-new-long-password", "10.0.0.9")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DisableAccount(ctx, "wang.li"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionOf(ctx, id); !errors.Is(err, ErrNoSession) {
		t.Fatalf("session outlived disabling: %v", err)
	}
	if _, _, err := s.SignIn(ctx, "wang.li", "a-new-long-password", "10.0.0.9"); !errors.Is(err, ErrBadSignIn) {
		t.Fatalf("disabled account signed in: %v", err)
	}
	if err := s.DisableAccount(ctx, "nobody"); !errors.Is(err, ErrNoAccount) {
		t.Fatalf("disable unknown: %v", err)
	}
}

func TestWebAuditLogKeepsEntries(t *testing.T) {
	s, c := accountServer(t)
	ctx := context.Background()
	for _, a := range []string{"view /police", "view /report"} {
		if err := s.WebAudit(ctx, WebAuditEntry{Account: "wang.li", Remote: "10.0.0.9", Action: a}); err != nil {
			t.Fatal(err)
		}
		c.Add(time.Second)
	}
	es, err := s.WebAuditLog(ctx, 10)
	if err != nil || len(es) != 2 || es[0].Action != "view /report" || !strings.HasPrefix(es[1].Action, "view /police") {
		t.Fatalf("audit log %+v %v", es, err)
	}
}
