package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/google/uuid"

	"rehabdesk/internal/i18n"
)

// Backup writes an encrypted, consistent copy of the whole database to w:
// SQLite copies a snapshot (VACUUM INTO, which sees one transaction) to a
// private temporary file, which is then sealed chunk by chunk with a key
// derived from passphrase. Records inside are already sealed with the data
// key; the passphrase also hides the metadata (who, when, which records).
// The key slots travel along, so the restored database opens with the same
// accounts and passwords. Officers and the county may back up. progress,
// if not nil, gets the bytes sealed so far and the total.
func Backup(ctx context.Context, s *Store, w io.Writer, passphrase string, progress func(done, total int64)) error {
	if _, err := s.sealerOrErr(); err != nil {
		return err
	}
	if r := s.Session().Role; r != "officer" && r != "county" {
		return ErrForbidden
	}
	if err := CheckPassword("", passphrase); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "rehabdesk-backup-*")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(dir)
	snap := filepath.Join(dir, "snapshot.db")
	if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", snap); err != nil {
		return fmt.Errorf("backup snapshot: %w", err)
	}
	size, err := sealFile(ctx, snap, w, passphrase, s.newSlotKDF(), progress)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return s.Audit(ctx, ActionBackup, "", AuditDetail(AuditBackup, strconv.FormatInt(size, 10)))
}

// BackupFile writes a backup to a new file at path, through a temporary
// file beside it that takes the final name only when the backup is
// complete: a cancelled or failed backup never leaves a file that looks
// like one. An existing file is never replaced. It returns the file's size.
func BackupFile(ctx context.Context, s *Store, path, passphrase string, progress func(done, total int64)) (int64, error) {
	if _, err := os.Lstat(path); err == nil {
		return 0, fmt.Errorf("%w: %s", ErrFileExists, path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(tmp.Name())
	err = Backup(ctx, s, tmp, passphrase, progress)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	st, err := os.Stat(tmp.Name())
	if err != nil {
		return 0, err
	}
	return st.Size(), placeNoClobber(tmp.Name(), path, ErrFileExists)
}

// ErrFileExists means a backup would replace an existing file.
var ErrFileExists = i18n.NewError("security.error.file_exists", "file already exists; choose another name")

// RestoreFile is Restore from a backup file.
func RestoreFile(ctx context.Context, backupPath, newPath, passphrase string) error {
	f, err := os.Open(backupPath)
	if err != nil {
		return err
	}
	defer f.Close()
	return Restore(ctx, f, newPath, passphrase)
}

// sealFile encrypts a file to w and returns its size.
func sealFile(ctx context.Context, path string, w io.Writer, passphrase string, kdf KDFParams, progress func(done, total int64)) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), encryptStream(ctx, w, f, st.Size(), passphrase, kdf, progress)
}

// Restore decrypts a backup into a new database file at newPath. It refuses
// to overwrite anything, and writes to a temporary file beside newPath that
// takes the final name only after the whole backup authenticated and SQLite
// found the database intact and not newer than this build. The restored
// database gets a new device id (so it can never be mistaken for the device
// it was copied from, whose clock readings it would repeat); it opens with
// the accounts and passwords of the original.
func Restore(ctx context.Context, r io.Reader, newPath, passphrase string) (err error) {
	if err := refuseExisting(newPath); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(newPath), 0o700); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(newPath), filepath.Base(newPath)+".restore-*")
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer func() {
		tmp.Close()
		removeDBFiles(tmp.Name())
	}()
	if err := decryptStream(ctx, r, tmp, passphrase); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := checkRestored(ctx, tmp.Name()); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return placeNoClobber(tmp.Name(), newPath, ErrExists)
}

// refuseExisting refuses a target that exists, or that has a leftover
// journal which SQLite would replay into the restored file.
func refuseExisting(path string) error {
	for _, p := range []string{path, path + "-wal", path + "-journal"} {
		if _, err := os.Lstat(p); err == nil {
			return fmt.Errorf("%w: %s", ErrExists, p)
		} else if !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("restore: %w", err)
		}
	}
	return nil
}

// restrictToOwner makes a database file and its journals readable by their
// owner only: on a shared laptop other accounts must not even copy the key
// slots to try passwords offline. SQLite gives new -wal and -shm files the
// database file's mode. Errors are ignored (file systems without modes).
func restrictToOwner(path string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Chmod(path+suffix, 0o600)
	}
}

// removeDBFiles removes a database file and its journals.
func removeDBFiles(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + suffix)
	}
}

// placeNoClobber gives a finished file its final name. A hard link fails
// if the name was taken meanwhile, where a rename would replace it.
func placeNoClobber(tmp, path string, exists error) error {
	if err := os.Link(tmp, path); err == nil {
		return nil
	} else if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%w: %s", exists, path)
	}
	// Some file systems (FAT USB sticks) have no hard links.
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%w: %s", exists, path)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return nil
}

// checkRestored opens the decrypted file: it must pass SQLite's integrity
// check, be a township database, and not be newer than this build. It then
// gives it a new device id and notes the restore for the audit log.
func checkRestored(ctx context.Context, path string) error {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return err
	}
	defer db.Close()
	var check string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil {
		return fmt.Errorf("%w: %v", ErrBackupTampered, err)
	}
	if check != "ok" {
		return fmt.Errorf("%w: integrity check: %s", ErrBackupTampered, check)
	}
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if version > SchemaVersion() {
		return fmt.Errorf("%w (schema %d, this build knows %d)", ErrNewerSchema, version, SchemaVersion())
	}
	return markRestored(ctx, db)
}

func markRestored(ctx context.Context, db *sql.DB) error {
	old, err := metaGet(ctx, db, "device")
	if err != nil {
		return err
	}
	if t, _ := metaGet(ctx, db, "township"); t == "" || old == "" {
		return ErrNotInitialized
	}
	facts := map[string]string{"device": uuid.Must(uuid.NewV7()).String(), "restored_from_device": old,
		"restored_at": time.Now().UTC().Format(time.RFC3339)}
	for k, v := range facts {
		if err := metaSet(ctx, db, k, v); err != nil {
			return err
		}
	}
	return nil
}
