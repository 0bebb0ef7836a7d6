package main

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"rehabdesk/sync/server"
)

// TestUserCommands: countyd user add, list, passwd and disable, checked by
// signing in to the server they wrote.
func TestUserCommands(t *testing.T) {
	db, key := filepath.Join(t.TempDir(), "county.db"), filepath.Join(t.TempDir(), "county.key")
	user := func(args ...string) (int, string) {
		return runCountyd(append(append([]string{"user"}, args...), "--db", db, "--key", key)...)
	}
	t.Setenv(passwordEnv, "short")
	if code, out := user("add", "--name", "li.admin", "--role", "admin"); code != 1 || !strings.Contains(out, "at least 10") {
		t.Fatalf("weak password: exit %d %q", code, out)
	}
	t.Setenv(passwordEnv, "county-office-2026")
	for _, args := range [][]string{{"add", "--name", "Li.Admin", "--role", "admin"}, {"add", "--name", "wang"}} {
		if code, out := user(args...); code != 0 {
			t.Fatalf("%v: exit %d %q", args, code, out)
		}
	}
	if code, out := user("add", "--name", "wang"); code != 1 || !strings.Contains(out, "exists") {
		t.Fatalf("duplicate: exit %d %q", code, out)
	}
	t.Setenv(passwordEnv, "a-new-long-password")
	if code, out := user("passwd", "--name", "wang"); code != 0 {
		t.Fatalf("passwd: exit %d %q", code, out)
	}
	if code, out := user("disable", "--name", "li.admin"); code != 0 {
		t.Fatalf("disable: exit %d %q", code, out)
	}
	_, out := user("list")
	if !strings.Contains(out, "li.admin  admin") || !strings.Contains(out, "disabled") || !strings.Contains(out, "wang      staff") {
		t.Fatalf("list:\n%s", out)
	}
	srv, err := server.Open(context.Background(), db, server.Options{KeyFile: key})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, c := range []struct {
		name, pw string
		ok       bool
	}{{"wang", "a-new-long-password", true}, {"wang", "county-office-2026", false}, {"li.admin", "county-office-2026", false}} {
		_, _, err := srv.SignIn(context.Background(), c.name, c.pw, "127.0.0.1")
		if (err == nil) != c.ok || (err != nil && !errors.Is(err, server.ErrBadSignIn)) {
			t.Errorf("sign in %s with %s: %v", c.name, c.pw, err)
		}
	}
}
