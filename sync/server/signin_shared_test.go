package server

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"rehabdesk/internal/storetest"
)

// twoAccountServers opens two servers on one database with one clock, and
// adds the account wang.li.
func twoAccountServers(t *testing.T, b backend) (db testDB, s1, s2 *Server, c *storetest.Clock) {
	t.Helper()
	c = storetest.NewClock(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	db = newTestDB(t, b)
	s1, s2 = openOn(t, db, c), openOn(t, db, c)
	if err := s1.AddAccount(context.Background(), "wang.li", RoleStaff, "county-office-2026"); err != nil {
		t.Fatal(err)
	}
	return db, s1, s2, c
}

func openOn(t *testing.T, db testDB, c *storetest.Clock) *Server {
	t.Helper()
	s, err := db.open(context.Background(), Options{Now: c.Now, PasswordKDF: storetest.FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// waitOf is the wait a sign-in was refused with, 0 for any other answer.
func waitOf(err error) time.Duration {
	var we *SignInWaitError
	if errors.As(err, &we) {
		return we.Wait
	}
	return 0
}

// TestSignInWaitsGrowAcrossServers: wrong passwords of one account sent
// in turn to two servers on one database meet one doubling wait, as on
// one server, and a server opened again still imposes it.
func TestSignInWaitsGrowAcrossServers(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		db, s1, s2, c := twoAccountServers(t, b)
		ctx := context.Background()
		servers := []*Server{s1, s2}
		for i := 0; i < 3; i++ { // the free ones
			if _, _, err := servers[i%2].SignIn(ctx, "wang.li", "wrong-password", fmt.Sprintf("10.0.0.%d", i)); !errors.Is(err, ErrBadSignIn) {
				t.Fatalf("wrong password %d: %v", i, err)
			}
		}
		for i, want := range []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second} {
			guess, other := servers[i%2], servers[(i+1)%2]
			if _, _, err := guess.SignIn(ctx, "wang.li", "wrong-password", "10.0.1.1"); !errors.Is(err, ErrBadSignIn) {
				t.Fatalf("wrong password: %v", err)
			}
			if _, _, err := other.SignIn(ctx, "wang.li", "county-office-2026", "10.0.1.2"); waitOf(err) != want {
				t.Fatalf("on the other server during the wait: %v, want a wait of %s", err, want)
			}
			c.Add(want)
		}
		if _, _, err := s2.SignIn(ctx, "wang.li", "wrong-password", "10.0.1.1"); !errors.Is(err, ErrBadSignIn) {
			t.Fatal(err)
		}
		if _, _, err := openOn(t, db, c).SignIn(ctx, "wang.li", "county-office-2026", "10.0.1.2"); waitOf(err) != 16*time.Second {
			t.Fatalf("a server opened again: %v, want a wait of 16s", err)
		}
	})
}

// TestAddressWaitsGrowAcrossServers: names no account has, guessed from
// one address in turn on two servers, slow that address on both after the
// same ten free tries as on one server, and the wait grows.
func TestAddressWaitsGrowAcrossServers(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		_, s1, s2, c := twoAccountServers(t, b)
		ctx := context.Background()
		servers := []*Server{s1, s2}
		for i := 0; i < 10; i++ {
			if _, _, err := servers[i%2].SignIn(ctx, fmt.Sprintf("nobody-%d", i), "county-office-2026", "10.0.0.66"); !errors.Is(err, ErrBadSignIn) {
				t.Fatalf("unknown name %d: %v", i, err)
			}
		}
		for i, want := range []time.Duration{2 * time.Second, 4 * time.Second} {
			if _, _, err := servers[i%2].SignIn(ctx, fmt.Sprintf("nobody-x%d", i), "county-office-2026", "10.0.0.66"); !errors.Is(err, ErrBadSignIn) {
				t.Fatal(err)
			}
			if _, _, err := servers[(i+1)%2].SignIn(ctx, "wang.li", "county-office-2026", "10.0.0.66"); waitOf(err) != want {
				t.Fatalf("the guessing address on the other server: %v, want a wait of %s", err, want)
			}
			c.Add(want)
		}
		if _, _, err := s2.SignIn(ctx, "wang.li", "county-office-2026", "10.0.0.7"); err != nil {
			t.Fatalf("another address is slowed too: %v", err)
		}
	})
}

// TestParallelGuessesOnTwoServersMeetOneCount: wrong passwords sent at
// once to two servers on one database, each from another address, are
// counted before they are checked, in the database: no more are checked
// than the free tries and the first that earns a wait.
func TestParallelGuessesOnTwoServersMeetOneCount(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		_, s1, s2, _ := twoAccountServers(t, b)
		const tries = 30
		errs := make(chan error, tries)
		for i := 0; i < tries; i++ {
			go func(s *Server) {
				_, _, err := s.SignIn(context.Background(), "wang.li", fmt.Sprintf("wrong-password-%d", i), fmt.Sprintf("10.1.0.%d", i))
				errs <- err
			}([]*Server{s1, s2}[i%2])
		}
		checked := 0
		for i := 0; i < tries; i++ {
			if err := <-errs; errors.Is(err, ErrBadSignIn) {
				checked++
			} else if waitOf(err) == 0 {
				t.Fatal(err)
			}
		}
		if checked > 4 {
			t.Fatalf("%d of %d parallel guesses were checked; the waits allow 4", checked, tries)
		}
	})
}

// TestPasswordChangeDuringSignInOpensNoSession: a sign-in that checked
// the password while countyd user passwd (another server on the database)
// set a new one, or disabled the account, opens no session; the new
// password (on the account enabled again) then signs in.
func TestPasswordChangeDuringSignInOpensNoSession(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		_, s1, s2, _ := twoAccountServers(t, b)
		ctx := context.Background()
		const newPassword = "a-new-long-password"
		for _, c := range []struct {
			password     string
			change, undo func() error
		}{
			{"county-office-2026", func() error { return s2.SetPassword(ctx, "wang.li", newPassword) }, func() error { return nil }},
			{newPassword, func() error { return s2.DisableAccount(ctx, "wang.li") }, func() error { return s2.EnableAccount(ctx, "wang.li") }},
		} {
			s1.passwordChecked = func() {
				if err := c.change(); err != nil {
					t.Error(err)
				}
			}
			if _, _, err := s1.SignIn(ctx, "wang.li", c.password, "10.0.0.9"); !errors.Is(err, ErrBadSignIn) {
				t.Fatalf("sign-in with the account changed meanwhile: %v", err)
			}
			s1.passwordChecked = nil
			var sessions int
			if err := s1.db.QueryRowContext(ctx, "SELECT count(*) FROM county_sessions").Scan(&sessions); err != nil || sessions != 0 {
				t.Fatalf("%d sessions after the change (%v)", sessions, err)
			}
			if err := c.undo(); err != nil {
				t.Fatal(err)
			}
			_, id, err := s1.SignIn(ctx, "wang.li", newPassword, "10.0.0.9")
			if err != nil {
				t.Fatalf("the new password: %v", err)
			}
			if err := s1.SignOut(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// TestAddressWaitsHoldAcrossOneIPv6Network: an address counts with its
// whole IPv6 /64, which one home line or office is given: a guesser
// taking a new address of its network for every try meets one growing
// wait (each address had free tries of its own). Other networks and IPv4
// addresses stay apart.
func TestAddressWaitsHoldAcrossOneIPv6Network(t *testing.T) {
	_, s1, _, _ := twoAccountServers(t, backendOf(t))
	ctx := context.Background()
	for i := 0; i < 10; i++ {
		if _, _, err := s1.SignIn(ctx, fmt.Sprintf("nobody-%d", i), "guess", fmt.Sprintf("2001:db8:7:1::%x", i+1)); !errors.Is(err, ErrBadSignIn) {
			t.Fatalf("unknown name %d: %v", i, err)
		}
	}
	if _, _, err := s1.SignIn(ctx, "nobody-x", "guess", "2001:db8:7:1:ffff::1"); !errors.Is(err, ErrBadSignIn) {
		t.Fatal(err)
	}
	if _, _, err := s1.SignIn(ctx, "wang.li", "county-office-2026", "2001:db8:7:1::1234"); waitOf(err) != 2*time.Second {
		t.Fatalf("another address of the guessing network: %v, want a wait of 2s", err)
	}
	for _, other := range []string{"2001:db8:7:2::1", "10.0.0.7"} {
		if _, _, err := s1.SignIn(ctx, "wang.li", "county-office-2026", other); err != nil {
			t.Fatalf("%s is slowed too: %v", other, err)
		}
	}
}
