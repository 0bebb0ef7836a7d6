package app

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
)

// A replacement laptop starts from the encrypted backup on the first-run
// screen and signs in with the original account; a wrong passphrase is
// refused in words and leaves the first-run screen as it was.
func TestFirstRunRestoresAnEncryptedBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	old := filepath.Join(dir, "old.db")
	st, err := store.Create(ctx, old, testTownship, testUser, testPassword, store.Options{KDF: storetest.FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Put(ctx, store.KindPerson, "", map[string]string{"name": "张三", "id_number": storetest.IDNumber("52010219900101123")}); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "usb.backup")
	if _, err := store.BackupFile(ctx, st, backup, "backup-passphrase", nil); err != nil {
		t.Fatal(err)
	}
	st.Close()

	u := newTestUI(t, filepath.Join(dir, "new", "rehabdesk.db"), LangZH)
	if u.firstRun == nil {
		t.Fatal("no first-run screen on a new laptop")
	}
	u.firstRun.restore(backup, "wrong-passphrase")
	if got := overlayText(u); !strings.Contains(got, "备份口令错误") || u.signIn != nil {
		t.Fatalf("wrong passphrase: dialog %q, sign-in shown %v", got, u.signIn != nil)
	}
	u.firstRun.restore(backup, "backup-passphrase")
	if u.signIn == nil {
		t.Fatalf("no sign-in after the restore; dialogs: %q", overlayText(u))
	}
	signInWith(t, u, testUser, testPassword)
	if u.shell == nil || u.shell.people.rows.total != 1 {
		t.Fatalf("restored database does not show its person (dialogs %q)", overlayText(u))
	}
}
