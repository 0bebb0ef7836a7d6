package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
)

// securityDB creates a township database with an officer and one volunteer
// record named 王芳, and makes new CLI secrets cheap to derive.
func securityDB(t *testing.T) string {
	t.Helper()
	kdfForNewSecrets = storetest.FastKDF
	t.Cleanup(func() { kdfForNewSecrets = store.KDFParams{} })
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := store.Create(context.Background(), path, "520102016", "officer", "secret-pass", store.Options{KDF: storetest.FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Put(context.Background(), store.KindVolunteer, "", map[string]string{"name": "王芳", "source": "elder_party"}); err != nil {
		t.Fatal(err)
	}
	return path
}

// runEnv runs a command with the given environment and typed passwords.
func runEnv(t *testing.T, vars map[string]string, typed []string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(""), Getenv: func(k string) string { return vars[k] }}
	if typed != nil {
		env.Password = func(string) (string, error) {
			if len(typed) == 0 {
				return "", ErrNoPassword
			}
			p := typed[0]
			typed = typed[1:]
			return p, nil
		}
	}
	code := Main(env, args)
	return out.String(), errb.String(), code
}

func officerEnv(extra ...string) map[string]string {
	m := map[string]string{"REHABDESK_PASSWORD": "secret-pass", "REHABDESK_LANG": "zh"}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i]] = extra[i+1]
	}
	return m
}

func TestUserAddListPasswdDisable(t *testing.T) {
	db := securityDB(t)
	out, errs, code := runEnv(t, officerEnv("REHABDESK_NEW_PASSWORD", "volunteer-pass"), nil,
		"user", "add", "--db", db, "--name", "vol1", "--role", "volunteer", "--volunteer", "王芳")
	if code != 0 || !strings.Contains(out, "vol1") {
		t.Fatalf("user add: exit %d\n%s%s", code, out, errs)
	}
	out, errs, code = runEnv(t, officerEnv(), nil, "user", "list", "--db", db)
	if code != 0 || !strings.Contains(out, "vol1") || !strings.Contains(out, "王芳") || !strings.Contains(out, "启用") {
		t.Fatalf("user list: exit %d\n%s%s", code, out, errs)
	}
	vol := map[string]string{"REHABDESK_PASSWORD": "volunteer-pass", "REHABDESK_USER": "vol1"}
	if _, errs, code = runEnv(t, vol, []string{"vol-pass-2", "vol-pass-2"}, "passwd", "--db", db); code != 0 {
		t.Fatalf("passwd: exit %d: %s", code, errs)
	}
	if _, errs, code = runEnv(t, officerEnv(), nil, "user", "disable", "--db", db, "--name", "vol1"); code != 0 {
		t.Fatalf("disable: exit %d: %s", code, errs)
	}
	vol["REHABDESK_PASSWORD"] = "vol-pass-2"
	_, errs, code = runEnv(t, vol, nil, "user", "list", "--db", db)
	if code != 1 || !strings.Contains(errs, "用户名或密码错误") {
		t.Fatalf("disabled account signs in: exit %d: %s", code, errs)
	}
}

func TestNewPasswordMustBeGivenTwiceTheSame(t *testing.T) {
	db := securityDB(t)
	_, errs, code := runEnv(t, officerEnv(), nil, "user", "add", "--db", db, "--name", "o2", "--role", "officer")
	if code != 1 || !strings.Contains(errs, "REHABDESK_NEW_PASSWORD") {
		t.Fatalf("no new password: exit %d: %s", code, errs)
	}
	_, errs, code = runEnv(t, officerEnv(), []string{"first-pass", "other-pass"}, "user", "add", "--db", db, "--name", "o2", "--role", "officer")
	if code != 1 || !strings.Contains(errs, "不一致") {
		t.Fatalf("differing passwords: exit %d: %s", code, errs)
	}
	_, errs, code = runEnv(t, officerEnv(), []string{"second-pass", "second-pass"}, "user", "add", "--db", db, "--name", "o2", "--role", "officer")
	if code != 0 {
		t.Fatalf("typed twice: exit %d: %s", code, errs)
	}
	_, errs, code = runEnv(t, officerEnv("REHABDESK_NEW_PASSWORD", "x"), nil, "user", "add", "--db", db, "--name", "v9", "--role", "volunteer", "--volunteer", "nobody")
	if code != 1 || !strings.Contains(errs, "志愿者") {
		t.Fatalf("unknown volunteer: exit %d: %s", code, errs)
	}
}
