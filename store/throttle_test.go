package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func TestWrongPasswordsSlowLaterTriesWithGrowingWaits(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
	s := newTestStoreAt(t, filepath.Join(t.TempDir(), "t.db"), func() time.Time { return now })
	s.Lock()
	var waits []time.Duration
	for i := 1; i <= freeFailures+4; i++ {
		if err := s.Unlock(ctx, "officer", "wrong-pass"); !errors.Is(err, ErrBadPassword) {
			t.Fatalf("attempt %d after its wait: %v", i, err)
		}
		if i <= freeFailures {
			continue
		}
		var te *ThrottledError
		if err := s.Unlock(ctx, "officer", "secret-pass"); !errors.As(err, &te) {
			t.Fatalf("attempt right after failure %d was not slowed: %v", i, err)
		}
		waits = append(waits, te.Wait)
		now = now.Add(te.Wait)
	}
	want := []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second}
	if len(waits) != len(want) {
		t.Fatalf("waits %v, want %v", waits, want)
	}
	for i := range want {
		if waits[i] != want[i] {
			t.Fatalf("waits %v, want %v", waits, want)
		}
	}
	if throttleDelay(100) != maxDelay {
		t.Fatalf("the wait grows past %v", maxDelay)
	}
	if err := s.Unlock(ctx, "officer", "secret-pass"); err != nil {
		t.Fatalf("right password after the wait: %v", err)
	}
	s.Lock()
	if err := s.Unlock(ctx, "officer", "wrong-pass"); !errors.Is(err, ErrBadPassword) {
		t.Fatalf("a sign-in did not clear the count: %v", err)
	}
}

// A slowed account spends the same key-derivation work on a wrong (or
// right) password as an account that is not slowed, so an answer's timing
// does not show which accounts are being guessed at.
func TestSlowedAccountAnswersWithTheSameWork(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	if err := s.AddAccount(ctx, "clerk", "district-note-2026", "officer", "", fastKDF); err != nil {
		t.Fatal(err)
	}
	s.Lock()
	for i := 0; i <= freeFailures; i++ {
		s.Unlock(ctx, "officer", "wrong-pass")
	}
	work := func(user, pass string, want error) int64 {
		t.Helper()
		before := kdfWork.Load()
		if err := s.Unlock(ctx, user, pass); !errors.Is(err, want) {
			t.Fatalf("%s: %v, want %v", user, err, want)
		}
		return kdfWork.Load() - before
	}
	normal := work("clerk", "wrong-pass", ErrBadPassword)
	if normal == 0 {
		t.Fatal("no key derivation measured")
	}
	if slowed := work("officer", "wrong-pass", ErrLockedOut); slowed != normal {
		t.Fatalf("slowed account: work %d, normal %d", slowed, normal)
	}
	if slowed := work("officer", "secret-pass", ErrLockedOut); slowed != normal {
		t.Fatalf("slowed account, right password: work %d, normal %d", slowed, normal)
	}
	if unknown := work("nobody", "wrong-pass", ErrBadPassword); unknown != normal {
		t.Fatalf("unknown user: work %d, normal %d", unknown, normal)
	}
}

func TestPasswordPolicy(t *testing.T) {
	for pass, want := range map[string]error{
		"short":                nil, // replaced below
		"123456789":            ErrWeakPassword,
		"密码短":                  ErrWeakPassword,
		"1234567890":           ErrCommonPassword,
		"qwertyuiop":           ErrCommonPassword,
		"WoAiNi1314":           ErrCommonPassword,
		"aaaaaaaaaaaa":         ErrCommonPassword,
		"abcdefghijk":          ErrCommonPassword,
		"9876543210":           ErrCommonPassword,
		"Officer2026!":         ErrCommonPassword, // mostly the user name
		"officer on duty 2026": nil,
		"my rehabdesk pass":    ErrCommonPassword,
		"horse battery staple": nil,
		"新华路的春天来了又走了":          nil, // no composition rules: any 10 characters do
		"correcthorse":         nil,
	} {
		if pass == "short" {
			want = ErrWeakPassword
		}
		if err := CheckPassword("officer", pass); !errors.Is(err, want) && !(want == nil && err == nil) {
			t.Errorf("%q: %v, want %v", pass, err, want)
		}
	}
	ctx := context.Background()
	if _, err := Create(ctx, filepath.Join(t.TempDir(), "p.db"), testTownship, "u", "12345678", Options{KDF: fastKDF}); !errors.Is(err, ErrWeakPassword) {
		t.Fatalf("create with 12345678: %v", err)
	}
}
