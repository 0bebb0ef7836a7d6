package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCountyd(args ...string) (int, string) {
	var out bytes.Buffer
	e := &env{stdout: &out, stderr: &out}
	code := program.Run(context.Background(), e, args)
	return code, out.String()
}

// countyd will not open its database with the key file in the database's
// folder, whatever way the path is spelt; a key elsewhere works.
func TestCountydRefusesTheKeyBesideTheDatabase(t *testing.T) {
	t.Setenv(keyEnv, "")
	data, elsewhere := t.TempDir(), t.TempDir()
	db := filepath.Join(data, "county.db")
	os.Mkdir(filepath.Join(data, "sub"), 0o700)
	os.Symlink(data, filepath.Join(elsewhere, "link"))
	for name, key := range map[string]string{
		"default":     "",
		"beside":      db + ".key",
		"below":       filepath.Join(data, "sub", "k"),
		"dotted path": filepath.Join(data, "sub", "..", "k"),
		"via a link":  filepath.Join(elsewhere, "link", "k"),
	} {
		code, out := runCountyd("township", "list", "--db", db, "--key", key)
		if code != 2 || !strings.Contains(out, "must not lie in the database's folder") {
			t.Errorf("%s: exit %d, %q", name, code, out)
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Fatal("a refused start created the database")
	}
	key := filepath.Join(elsewhere, "county.key")
	if code, out := runCountyd("township", "add", "--db", db, "--key", key, "--code", "520102016"); code != 0 {
		t.Fatalf("key elsewhere: exit %d, %s", code, out)
	}
	t.Setenv(keyEnv, key)
	if code, out := runCountyd("township", "list", "--db", db); code != 0 || !strings.Contains(out, "520102016") {
		t.Fatalf("key from $%s: exit %d, %s", keyEnv, code, out)
	}
}
