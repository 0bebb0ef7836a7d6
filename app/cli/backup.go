package cli

import (
	"context"
	"fmt"
	"os"

	"rehabdesk/internal/cmdline"
	"rehabdesk/internal/i18n"
	"rehabdesk/store"
)

// ErrNoBackupPassword is returned when no backup passphrase was given and
// there is no terminal to ask on.
var ErrNoBackupPassword = i18n.NewError("security.cli.no_backup_password", "no backup passphrase: set REHABDESK_BACKUP_PASSWORD or run on a terminal")

func init() {
	program.Register(Command{
		Name:    "backup",
		Summary: "write an encrypted backup of the database (passphrase from REHABDESK_BACKUP_PASSWORD or asked)",
		Usage:   "[--db PATH] [--user NAME] --out FILE",
		Run:     runBackup,
	})
	program.Register(Command{
		Name:    "restore",
		Summary: "restore an encrypted backup into a new database file (never overwrites)",
		Usage:   "--db NEWPATH --in FILE",
		Run:     runRestore,
	})
}

func runBackup(ctx context.Context, env *Env, args []string) error {
	fs := program.NewFlags(env, "backup")
	db, user := DBFlag(fs), UserFlag(env, fs)
	out := fs.String("out", "", "backup file to write")
	if _, err := cmdline.Parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usage("cli.usage.required", "--out")
	}
	if _, err := os.Lstat(*out); err == nil {
		return fmt.Errorf("%w: %s", store.ErrFileExists, *out)
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
	size, err := store.BackupFile(ctx, s, *out, pass, nil)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, T(env, "security.cli.backup_written", *out, size))
	return nil
}

func runRestore(ctx context.Context, env *Env, args []string) error {
	fs := program.NewFlags(env, "restore")
	db := fs.String("db", "", "new database file to create")
	in := fs.String("in", "", "backup file to read")
	if _, err := cmdline.Parse(fs, args); err != nil {
		return err
	}
	if *db == "" || *in == "" {
		return usage("cli.usage.required", "--db, --in")
	}
	if _, err := os.Stat(*in); err != nil {
		return err
	}
	pass := env.Getenv("REHABDESK_BACKUP_PASSWORD")
	if pass == "" {
		var err error
		if pass, err = askOnce(env, T(env, "security.cli.backup_prompt")); err != nil {
			return err
		}
	}
	if err := store.RestoreFile(ctx, *in, *db, pass); err != nil {
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
