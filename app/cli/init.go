package cli

import (
	"context"
	"fmt"
	"os"

	"rehabdesk/assets"
	"rehabdesk/internal/cmdline"
	"rehabdesk/store"
)

func init() {
	program.Register(Command{
		Name:    "init",
		Summary: "create the database of one township with its first officer account",
		Usage:   "[--db PATH] --township CODE --user NAME",
		Run:     runInit,
	})
}

// argError is a mistake in an argument that deserves a translated sentence
// of its own rather than the usage line.
type argError struct {
	key  string
	args []any
}

func (e *argError) Error() string { return fmt.Sprintf("%s %v", e.key, e.args) }

// MessageKey gives the translation key and arguments of the error.
func (e *argError) MessageKey() (string, []any) { return e.key, e.args }

func runInit(ctx context.Context, env *Env, args []string) error {
	fs := program.NewFlags(env, "init")
	db := DBFlag(fs)
	township := fs.String("township", "", "9-digit township code (乡镇/街道)")
	user := fs.String("user", "", "name of the first officer account")
	pos, err := cmdline.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *township == "" || *user == "" {
		return usage("cli.usage.required", "--township, --user")
	}
	town, ok := assets.Township(*township)
	if !ok {
		return &argError{"init.unknown_township", []any{*township}}
	}
	// Checked before asking for a password, and never overwritten: a
	// township's only copy of its case files may live in that file.
	if _, err := os.Stat(*db); err == nil {
		return &argError{"init.db_exists", []any{*db}}
	}
	pw, err := newSecret(env, "REHABDESK_PASSWORD", T(env, "init.password_prompt", *user), ErrNoPassword)
	if err != nil {
		return err
	}
	s, err := store.Create(ctx, *db, *township, *user, pw, store.Options{KDF: kdfForNewSecrets})
	if err != nil {
		removeDB(*db) // the file did not exist before: leave none behind
		return err
	}
	defer s.Close()
	fmt.Fprintln(env.Stdout, T(env, "init.created", *db, town.Name, *township, *user))
	return nil
}

// removeDB deletes a database file with its WAL and shared-memory files.
func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
}
