package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rehabdesk/store"
)

func TestBackupAndRestoreCommands(t *testing.T) {
	db := securityDB(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "b.rdbk")
	vars := officerEnv("REHABDESK_BACKUP_PASSWORD", "backup-pass")
	if o, errs, code := runEnv(t, vars, nil, "backup", "--db", db, "--out", out); code != 0 || !strings.Contains(o, out) {
		t.Fatalf("backup: exit %d: %s%s", code, o, errs)
	}
	if _, errs, code := runEnv(t, vars, nil, "backup", "--db", db, "--out", out); code != 1 || !strings.Contains(errs, "已存在") {
		t.Fatalf("backup over an existing file: exit %d: %s", code, errs)
	}
	restored := filepath.Join(dir, "new", "r.db")
	if _, errs, code := runEnv(t, vars, nil, "restore", "--db", restored, "--in", out); code != 0 {
		t.Fatalf("restore: exit %d: %s", code, errs)
	}
	if _, errs, code := runEnv(t, vars, nil, "restore", "--db", restored, "--in", out); code != 1 || !strings.Contains(errs, "已存在") {
		t.Fatalf("restore over a database: exit %d: %s", code, errs)
	}
	s, err := store.Open(context.Background(), restored, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Unlock(context.Background(), "officer", "secret-pass"); err != nil {
		t.Fatalf("restored database with the original password: %v", err)
	}
}

func TestRestoreRefusesBadBackupsInWords(t *testing.T) {
	db := securityDB(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "b.rdbk")
	vars := officerEnv("REHABDESK_BACKUP_PASSWORD", "backup-pass")
	if _, errs, code := runEnv(t, vars, nil, "backup", "--db", db, "--out", out); code != 0 {
		t.Fatalf("backup: %s", errs)
	}
	good, _ := os.ReadFile(out)
	cut := filepath.Join(dir, "cut.rdbk")
	os.WriteFile(cut, good[:len(good)/2], 0o600)
	cases := []struct {
		in, pass, want string
	}{
		{out, "wrong-pass", "备份口令错误"},
		{cut, "backup-pass", "备份文件"},
		{db, "backup-pass", "不是 RehabDesk 备份"},
	}
	for i, c := range cases {
		target := filepath.Join(dir, "r"+string(rune('0'+i))+".db")
		_, errs, code := runEnv(t, officerEnv("REHABDESK_BACKUP_PASSWORD", c.pass), nil, "restore", "--db", target, "--in", c.in)
		if code != 1 || !strings.Contains(errs, c.want) {
			t.Errorf("restore %s with %s: exit %d: %s", filepath.Base(c.in), c.pass, code, errs)
		}
		if _, err := os.Stat(target); err == nil {
			t.Errorf("a refused restore left %s", target)
		}
	}
	_, errs, code := runEnv(t, officerEnv(), nil, "restore", "--db", filepath.Join(dir, "x.db"), "--in", out)
	if code != 1 || !strings.Contains(errs, "REHABDESK_BACKUP_PASSWORD") {
		t.Errorf("restore without passphrase: exit %d: %s", code, errs)
	}
}
