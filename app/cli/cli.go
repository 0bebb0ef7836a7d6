// Package cli is RehabDesk's command line: scripted use of the same store,
// sync engine and reports as the GUI. It never imports Fyne.
//
// Each command lives in its own file and registers itself in init, so that
// commands can be added without touching the dispatcher, which is the
// framework countyd shares (internal/cmdline).
package cli

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"

	"rehabdesk/app/msg"
	"rehabdesk/internal/cmdline"
	"rehabdesk/internal/i18n"
)

// Command is one `rehabdesk NAME ...` subcommand; each file registers its
// own with program.Register in init.
type Command = cmdline.Command[*Env]

// program is rehabdesk's command line: the shared framework, speaking the
// user's language.
var program = &cmdline.Program[*Env]{
	Name:      "rehabdesk",
	Translate: func(env *Env, key string) string { return msg.Text(Lang(env), key) },
	Message:   Message,
	Intro:     func(env *Env) string { return T(env, "cli.help.title") + "\n\n" + T(env, "cli.help.intro") },
	Notes:     helpNotes,
}

// helpNotes ends the help: where the password, the language and the
// database come from.
func helpNotes(env *Env) string {
	return strings.Join([]string{T(env, "cli.help.password"), T(env, "cli.help.language"), T(env, "cli.help.default_db", DefaultDBPath())}, "\n")
}

// Env is the outside world of a command, replaceable in tests.
type Env struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader
	Getenv         func(string) string
	// Password asks for a password on a terminal; nil means no terminal.
	Password func(prompt string) (string, error)
}

// Streams gives the framework the command's output and error streams.
func (env *Env) Streams() (stdout, stderr io.Writer) { return env.Stdout, env.Stderr }

// DefaultEnv is the process's own environment.
func DefaultEnv() *Env {
	return &Env{Stdout: os.Stdout, Stderr: os.Stderr, Stdin: os.Stdin, Getenv: os.Getenv, Password: terminalPassword}
}

// IsCommand reports whether args name a command (so main runs the CLI, not the GUI).
func IsCommand(args []string) bool { return program.IsCommand(args) }

// Main runs a command and returns the process exit status: 0 on success,
// 1 when the command failed, 2 for a usage error.
func Main(env *Env, args []string) int { return program.Main(env, args) }

// DefaultDBPath is the database the app and CLI use without --db:
// <user config dir>/rehabdesk/rehabdesk.db.
func DefaultDBPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		dir = "."
	}
	return filepath.Join(dir, "rehabdesk", "rehabdesk.db")
}

// DBFlag adds the common --db flag.
func DBFlag(fs *flag.FlagSet) *string {
	return fs.String("db", DefaultDBPath(), "database file")
}

// UserFlag adds the common --user flag; the default is $REHABDESK_USER or "officer".
func UserFlag(env *Env, fs *flag.FlagSet) *string {
	def := env.Getenv("REHABDESK_USER")
	if def == "" {
		def = "officer"
	}
	return fs.String("user", def, "account name")
}

// usage is a command-line mistake said in the user's language: key names
// its text under assets/translations/cli, formatted with args.
func usage(key string, args ...any) error { return cmdline.Usage(i18n.Errorf(key, args...)) }
