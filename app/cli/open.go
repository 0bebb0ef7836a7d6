package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

	"rehabdesk/app/msg"
	"rehabdesk/store"
)

// ErrNoPassword is returned when no password was given and there is no
// terminal to ask on; never fall back to an empty or new database.
var ErrNoPassword = errors.New("no password: set REHABDESK_PASSWORD or run on a terminal")

// OpenStore opens an existing database and signs the user in. A missing
// file is an error: commands other than init never create a database.
func OpenStore(ctx context.Context, env *Env, path, user string) (*store.Store, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		return nil, openFailed(err)
	}
	pw, err := GetPassword(env, fmt.Sprintf("%s@%s: ", user, path))
	if err == nil {
		err = s.Unlock(ctx, user, pw)
	}
	if err != nil {
		s.Close()
		return nil, openFailed(err)
	}
	return s, nil
}

// diskFullOpenError is a database that could not be opened or signed
// into for want of disk space: even a command that only reads needs a
// little (SQLite's WAL index, the sign-in's audit entry). The general
// disk-full message says "this was not saved", which means nothing to
// someone who only wanted to read.
type diskFullOpenError struct{ err error }

func (e *diskFullOpenError) Error() string { return e.err.Error() }
func (e *diskFullOpenError) Unwrap() error { return e.err }

// MessageKey implements msg's keyed interface.
func (e *diskFullOpenError) MessageKey() (string, []any) { return "cli.disk_full_open", nil }

// openFailed names a full disk as such.
func openFailed(err error) error {
	if store.IsDiskFull(err) {
		return &diskFullOpenError{err}
	}
	return err
}

// GetPassword reads REHABDESK_PASSWORD, or asks on the terminal.
func GetPassword(env *Env, prompt string) (string, error) {
	if pw := env.Getenv("REHABDESK_PASSWORD"); pw != "" {
		return pw, nil
	}
	if env.Password == nil {
		return "", ErrNoPassword
	}
	return env.Password(prompt)
}

// terminalPassword reads a password without echo from the controlling terminal.
func terminalPassword(prompt string) (string, error) {
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return "", ErrNoPassword
	}
	fmt.Fprint(os.Stderr, prompt)
	b, err := term.ReadPassword(fd)
	fmt.Fprintln(os.Stderr)
	return strings.TrimRight(string(b), "\r\n"), err
}

// Lang is the language of the command's messages.
func Lang(env *Env) string { return msg.Lang(env.Getenv) }

// T translates a key for the command line.
func T(env *Env, key string, args ...any) string { return msg.T(Lang(env), key, args...) }

// Message renders an error in the user's language.
func Message(env *Env, err error) string {
	if errors.Is(err, ErrNoPassword) {
		return T(env, "cli.no_password")
	}
	return msg.Error(Lang(env), err)
}
