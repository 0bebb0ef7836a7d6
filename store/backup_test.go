package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"
)

// sample holds known personal data that must never appear in clear.
type sample struct {
	s       *Store
	path    string
	secrets []string
	ids     []string // every record id
}

func newSample(t *testing.T, persons int) *sample {
	t.Helper()
	ctx := context.Background()
	x := &sample{path: filepath.Join(t.TempDir(), "src.db")}
	x.s = newTestStoreAt(t, x.path, nil)
	vol := mustPut(t, x.s, KindVolunteer, "", map[string]string{"name": "王芳", "source": "elder_party"})
	x.ids = append(x.ids, vol)
	names := []string{"阿依古丽·买买提", "张三丰", "欧阳娜娜", "杨国福"}
	err := x.s.Update(ctx, func(tx *Tx) error {
		for i := 0; i < persons; i++ {
			name := names[i%len(names)]
			num := idWithCheck(fmt.Sprintf("52262719800101%03d", i))
			p, err := tx.Put(KindPerson, "", map[string]string{"name": name, "id_number": num,
				"phone": fmt.Sprintf("139123456%d8", i%10), "current_address": "贵州省黎平县德凤街道"})
			if err != nil {
				return err
			}
			v, err := tx.Put(KindVisit, "", map[string]string{"person": p, "date": "2025-01-04", "visitor_kind": "staff", "mode": "home", "notes": "家中务农，情绪稳定"})
			if err != nil {
				return err
			}
			x.ids = append(x.ids, p, v)
			if i < 4 {
				x.secrets = append(x.secrets, name, num)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	x.secrets = append(x.secrets, "德凤街道", "情绪稳定", "13912345608")
	if err := x.s.AddAccount(ctx, "vol1", "volunteer-pass", "volunteer", vol, fastKDF); err != nil {
		t.Fatal(err)
	}
	return x
}

// assertNoPlaintext greps raw bytes for every secret.
func (x *sample) assertNoPlaintext(t *testing.T, what string, b []byte) {
	t.Helper()
	for _, sec := range x.secrets {
		if bytes.Contains(b, []byte(sec)) {
			t.Errorf("%s contains %q in clear", what, sec)
		}
	}
}

func backupOf(t *testing.T, s *Store, pass string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Backup(context.Background(), s, &buf, pass, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDatabaseWALAndBackupHoldNoPlainPersonalData(t *testing.T) {
	x := newSample(t, 20)
	if len(x.secrets) < 8 {
		t.Fatal("sample too small")
	}
	// While open, recent pages live in the -wal file: grep both.
	for _, f := range []string{x.path, x.path + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		x.assertNoPlaintext(t, filepath.Base(f), b)
	}
	x.assertNoPlaintext(t, "backup", backupOf(t, x.s, "backup-pass-1"))
}

func TestRestoreRoundTripsEveryRecordAndAccount(t *testing.T) {
	ctx := context.Background()
	x := newSample(t, 30)
	defer func(n int) { backupChunk = n }(backupChunk)
	backupChunk = 4096 // many chunks
	var done, total int64
	var buf bytes.Buffer
	if err := Backup(ctx, x.s, &buf, "backup-pass-1", func(d, t int64) { done, total = d, t }); err != nil {
		t.Fatal(err)
	}
	if done != total || total < 10*4096 {
		t.Fatalf("progress ended at %d of %d", done, total)
	}
	dst := filepath.Join(t.TempDir(), "sub", "restored.db")
	if err := Restore(ctx, bytes.NewReader(buf.Bytes()), dst, "backup-pass-1"); err != nil {
		t.Fatal(err)
	}
	r, err := Open(ctx, dst, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.Unlock(ctx, "vol1", "volunteer-pass"); err != nil {
		t.Fatalf("volunteer password after restore: %v", err)
	}
	r.Lock()
	if err := r.Unlock(ctx, "officer", "secret-pass"); err != nil {
		t.Fatalf("officer password after restore: %v", err)
	}
	for _, id := range x.ids {
		want, err := x.s.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.Get(ctx, id)
		if err != nil || !reflect.DeepEqual(want, got) {
			t.Fatalf("record %s after restore:\n got %+v %v\nwant %+v", id, got, err, want)
		}
	}
	wantCh, err := logChanges(x.s)
	if err != nil {
		t.Fatal(err)
	}
	gotCh, err := logChanges(r)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(wantCh, gotCh) {
		t.Fatalf("change log differs after restore: %d vs %d changes", len(gotCh), len(wantCh))
	}
	if r.Device() == x.s.Device() {
		t.Fatal("restored database kept the device id of the original")
	}
	if es, err := r.AuditLog(ctx, AuditFilter{Action: ActionRestore}); err != nil || len(es) != 1 {
		t.Fatalf("restore not audited once: %+v (error %v)", es, err)
	}
	if es, err := x.s.AuditLog(ctx, AuditFilter{Action: ActionBackup}); err != nil || len(es) != 1 {
		t.Fatalf("backup not audited: %+v (error %v)", es, err)
	}
}

func TestDatabaseFilesAreOwnerOnly(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix file modes")
	}
	x := newSample(t, 1)
	for _, f := range []string{x.path, x.path + "-wal"} {
		if st, err := os.Stat(f); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, %v; want 0600", filepath.Base(f), st.Mode(), err)
		}
	}
}

func TestRestoreRefusesExistingDatabase(t *testing.T) {
	x := newSample(t, 2)
	b := backupOf(t, x.s, "backup-pass-1")
	before, _ := os.ReadFile(x.path)
	err := Restore(context.Background(), bytes.NewReader(b), x.path, "backup-pass-1")
	if !errors.Is(err, ErrExists) {
		t.Fatalf("restore over the live database: %v", err)
	}
	if after, _ := os.ReadFile(x.path); !bytes.Equal(before, after) {
		t.Fatal("existing database was changed")
	}
}

func TestBadBackupsAreRefusedWithClearErrors(t *testing.T) {
	x := newSample(t, 10)
	defer func(n int) { backupChunk = n }(backupChunk)
	backupChunk = 4096
	good := backupOf(t, x.s, "backup-pass-1")
	body := backupHeaderLen + gcmTagLen
	sealed := backupChunk + gcmTagLen
	flip := func(i int) []byte { b := bytes.Clone(good); b[i] ^= 1; return b }
	swap := bytes.Clone(good)
	copy(swap[body:], good[body+sealed:body+2*sealed])
	copy(swap[body+sealed:], good[body:body+sealed])
	cases := []struct {
		name string
		data []byte
		pass string
		want error
	}{
		{"wrong passphrase", good, "backup-pass-2", ErrBackupPassword},
		{"not a backup", []byte("SQLite format 3\x00 and more bytes here to fill a header"), "backup-pass-1", ErrBackupFormat},
		{"empty file", nil, "backup-pass-1", ErrBackupFormat},
		{"cut in the header", good[:20], "backup-pass-1", ErrBackupFormat},
		{"cut at a chunk boundary", good[:body+2*sealed], "backup-pass-1", ErrBackupTruncated},
		{"cut inside a chunk", good[:body+2*sealed+100], "backup-pass-1", ErrBackupTruncated},
		{"cut after the check", good[:body], "backup-pass-1", ErrBackupTruncated},
		{"byte flipped in a chunk", flip(body + sealed + 7), "backup-pass-1", ErrBackupTampered},
		{"byte flipped in the header", flip(20), "backup-pass-1", ErrBackupPassword},
		{"chunks swapped", swap, "backup-pass-1", ErrBackupTampered},
		{"bytes appended", append(bytes.Clone(good), 0), "backup-pass-1", ErrBackupTampered},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			dst := filepath.Join(dir, "r.db")
			err := Restore(context.Background(), bytes.NewReader(c.data), dst, c.pass)
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Fatalf("files left behind: %v", left)
			}
		})
	}
}

func TestRestoreRefusesNewerSchemaAndCancellation(t *testing.T) {
	ctx := context.Background()
	x := newSample(t, 2)
	if _, err := x.s.db.ExecContext(ctx, "PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	newer := backupOf(t, x.s, "backup-pass-1")
	dir := t.TempDir()
	if err := Restore(ctx, bytes.NewReader(newer), filepath.Join(dir, "n.db"), "backup-pass-1"); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("newer schema: %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := Restore(cancelled, bytes.NewReader(newer), filepath.Join(dir, "c.db"), "backup-pass-1"); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled restore: %v", err)
	}
	if err := Backup(cancelled, x.s, &bytes.Buffer{}, "backup-pass-1", nil); err == nil {
		t.Fatal("cancelled backup succeeded")
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("files left behind: %v", left)
	}
}

func TestTamperedChangeLogIsRefused(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	a := mustPut(t, s, KindStaff, "", map[string]string{"name": "王芳", "role": "officer"})
	b := mustPut(t, s, KindStaff, "", map[string]string{"name": "李娜", "role": "officer"})
	// Moving a sealed value to another row fails too: each is bound to its place.
	if _, err := s.db.ExecContext(ctx, "UPDATE records SET data = (SELECT data FROM records WHERE id = ?) WHERE id = ?", a, b); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, b); !errors.Is(err, ErrTampered) {
		t.Fatalf("swapped record: %v", err)
	}
	if _, err := s.db.ExecContext(ctx, "UPDATE changes SET payload = zeroblob(length(payload)) WHERE entity_id = ?", a); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LocalChanges(ctx, 0, 100); !errors.Is(err, ErrTampered) {
		t.Fatalf("tampered change: %v", err)
	}
}

func TestBackupFileNeverLeavesAPartialFile(t *testing.T) {
	ctx := context.Background()
	x := newSample(t, 2)
	dir := t.TempDir()
	out := filepath.Join(dir, "b.rdbk")
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := BackupFile(cancelled, x.s, out, "backup-pass-1", nil); err == nil {
		t.Fatal("cancelled backup succeeded")
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("cancelled backup left %v", left)
	}
	if _, err := BackupFile(ctx, x.s, out, "backup-pass-1", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := BackupFile(ctx, x.s, out, "backup-pass-1", nil); !errors.Is(err, ErrFileExists) {
		t.Fatalf("backup over an existing file: %v", err)
	}
	if err := RestoreFile(ctx, out, filepath.Join(dir, "r.db"), "backup-pass-1"); err != nil {
		t.Fatal(err)
	}
}
