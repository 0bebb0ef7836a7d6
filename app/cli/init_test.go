package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
)

// initDB runs `rehabdesk init` and returns the new database's path.
func initDB(t *testing.T) string {
	t.Helper()
	kdfForNewSecrets = storetest.FastKDF
	t.Cleanup(func() { kdfForNewSecrets = store.KDFParams{} })
	path := filepath.Join(t.TempDir(), "town.db")
	if _, errs, code := runEnv(t, officerEnv(), nil, "init", "--db", path, "--township", "520102016", "--user", "officer"); code != 0 {
		t.Fatalf("init: %d %s", code, errs)
	}
	return path
}

func TestInitCreatesATownshipDatabaseAndNeverOverwritesIt(t *testing.T) {
	path := initDB(t)
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	out, errs, code := runEnv(t, officerEnv(), nil, "init", "--db", path, "--township", "520102016", "--user", "x")
	if code != 1 || !strings.Contains(errs, "已存在，不会覆盖") {
		t.Fatalf("second init: %d %q %q", code, out, errs)
	}
	if _, _, code := runEnv(t, officerEnv(), nil, "export", "--db", path, "--out", filepath.Join(t.TempDir(), "a.csv")); code != 0 {
		t.Fatal("the first database must still open with the first password")
	}
}

func TestInitRefusesAnUnknownTownshipWithoutCreatingAFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	_, errs, code := runEnv(t, officerEnv("REHABDESK_LANG", "en"), nil, "init", "--db", path, "--township", "520102999", "--user", "officer")
	if code != 1 || !strings.Contains(errs, `Unknown township code "520102999"`) {
		t.Fatalf("unknown township: %d %q", code, errs)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("a refused init left a file: %v", err)
	}
}

func TestInitAsksThePasswordTwice(t *testing.T) {
	kdfForNewSecrets = storetest.FastKDF
	t.Cleanup(func() { kdfForNewSecrets = store.KDFParams{} })
	path := filepath.Join(t.TempDir(), "x.db")
	args := []string{"init", "--db", path, "--township", "520102016", "--user", "officer"}
	if _, errs, code := runEnv(t, map[string]string{}, []string{"secret-pass", "secret-typo"}, args...); code != 1 || !strings.Contains(errs, "不一致") {
		t.Fatalf("different passwords: %d %q", code, errs)
	}
	for pass, want := range map[string]string{"12345678": "至少需要 10 个字符", "1234567890": "过于常见"} {
		if _, errs, code := runEnv(t, map[string]string{}, []string{pass, pass}, args...); code != 1 || !strings.Contains(errs, want) {
			t.Fatalf("password %q: %d %q", pass, code, errs)
		}
	}
	if _, errs, code := runEnv(t, map[string]string{}, []string{"secret-pass", "secret-pass"}, args...); code != 0 {
		t.Fatalf("same password twice: %d %q", code, errs)
	}
}
