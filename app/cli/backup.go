package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"rehabdesk/store"
)

// ErrNoBackupPassword is returned when no backup passphrase was given and
// there is no terminal to ask on.
var ErrNoBackupPassword = &keyedError{key: "security.cli.no_backup_password",
	text: "no backup passphrase: set REHABDESK_BACKUP_PASSWORD or run on a terminal"}

func init() {
	Register(Command{
		Name:    "backup",
		Summary: "write an encrypted backup of the database (passphrase from REHABDESK_BACKUP_PASSWORD or asked)",
		Usage:   "[--db PATH] [--user NAME] --out FILE",
		Run:     runBackup,
	})
	Register(Command{
		Name:    "restore",
		Summary: "restore an encrypted backup into a new database file (never overwrites)",
		Usage:   "--db NEWPATH --in FILE",
		Run:     runRestore,
	})
}

func runBackup(ctx context.Context, env *Env, args []string) error {
	fs := NewFlags(env, "backup")
	db, user := DBFlag(fs), UserFlag(env, fs)
	out := fs.String("out", "", "backup file to write")
	if _, err := Parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return Usagef("--out is required")
	}
	if _, err := os.Lstat(*out); err == nil {
		return &keyedError{key: "security.cli.output_exists", text: *out + " already exists"}
	}
	s, err := OpenStore(ctx, env, *db, *user)
	if err != nil {
		return err
	}
	defer s.Close()
	pass, err := newSecret(env, "REHABDESK_BACKUP_PASSWORD", T(env, "security.cli.backup_prompt"), ErrNoBackupPassword)
	if err != nil {
		return err
	}
	size, err := writeBackup(ctx, s, *out, pass)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, T(env, "security.cli.backup_written", *out, size))
	return nil
}

// writeBackup writes to a temporary file beside out and renames it only
// when the backup is complete, so a cancelled or failed backup never
// leaves a file that looks like a backup.
func writeBackup(ctx context.Context, s *store.Store, out, pass string) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(out), filepath.Base(out)+".tmp-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	err = store.Backup(ctx, s, tmp, pass, nil)
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
	// A hard link never replaces a file that appeared meanwhile.
	if err := os.Link(tmp.Name(), out); errors.Is(err, os.ErrExist) {
		return 0, &keyedError{key: "security.cli.output_exists", text: out + " already exists"}
	} else if err != nil {
		// File systems without hard links (FAT USB sticks).
		if err := os.Rename(tmp.Name(), out); err != nil {
			return 0, err
		}
	}
	return st.Size(), nil
}

func runRestore(ctx context.Context, env *Env, args []string) error {
	fs := NewFlags(env, "restore")
	db := fs.String("db", "", "new database file to create")
	in := fs.String("in", "", "backup file to read")
	if _, err := Parse(fs, args); err != nil {
		return err
	}
	if *db == "" || *in == "" {
		return Usagef("--db and --in are required")
	}
	f, err := os.Open(*in)
	if err != nil {
		return err
	}
	defer f.Close()
	pass := env.Getenv("REHABDESK_BACKUP_PASSWORD")
	if pass == "" {
		if pass, err = askOnce(env, T(env, "security.cli.backup_prompt")); err != nil {
			return err
		}
	}
	if err := store.Restore(ctx, f, *db, pass); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, T(env, "security.cli.restored", *db))
	return nil
}

// askOnce asks for an existing passphrase on the terminal.
func askOnce(env *Env, prompt string) (string, error) {
	if env.Password == nil {
		return "", ErrNoBackupPassword
	}
	p, err := env.Password(prompt)
	return p, noTerminal(err, ErrNoBackupPassword)
}
