// Package cli is RehabDesk's command line: scripted use of the same store,
// sync engine and reports as the GUI. It never imports Fyne.
//
// Each command lives in its own file and registers itself in init, so that
// commands can be added without touching the dispatcher.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"

	"rehabdesk/internal/flagargs"
)

// Command is one `rehabdesk NAME ...` subcommand.
type Command struct {
	Name    string
	Summary string // one line for `rehabdesk help`
	Usage   string // argument synopsis, e.g. "[--db PATH] FILE"
	Run     func(ctx context.Context, env *Env, args []string) error
}

var commands = map[string]Command{}

// Register adds a command; called from init functions.
func Register(c Command) {
	if _, dup := commands[c.Name]; dup {
		panic("cli: command registered twice: " + c.Name)
	}
	commands[c.Name] = c
}

// Env is the outside world of a command, replaceable in tests.
type Env struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader
	Getenv         func(string) string
	// Password asks for a password on a terminal; nil means no terminal.
	Password func(prompt string) (string, error)
}

// DefaultEnv is the process's own environment.
func DefaultEnv() *Env {
	return &Env{Stdout: os.Stdout, Stderr: os.Stderr, Stdin: os.Stdin, Getenv: os.Getenv, Password: terminalPassword}
}

// IsCommand reports whether args name a command (so main runs the CLI, not the GUI).
func IsCommand(args []string) bool {
	if len(args) == 0 {
		return false
	}
	_, ok := commands[args[0]]
	return ok || args[0] == "help" || args[0] == "-h" || args[0] == "--help"
}

// Main runs a command and returns the process exit status: 0 on success,
// 1 when the command failed, 2 for a usage error.
func Main(env *Env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printHelp(env)
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "rehabdesk: %s\n", T(env, "cli.unknown_command", args[0]))
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := c.Run(ctx, env, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, new(usageError)):
		fmt.Fprintf(env.Stderr, "rehabdesk %s: %s\n%s: rehabdesk %s %s\n", c.Name, Message(env, err), T(env, "cli.usage"), c.Name, c.Usage)
		return 2
	}
	fmt.Fprintf(env.Stderr, "rehabdesk %s: %s\n", c.Name, Message(env, err))
	return 1
}

// printHelp lists the commands in the language of the other messages;
// a command without a translated summary shows its own.
func printHelp(env *Env) {
	w := env.Stdout
	fmt.Fprintln(w, T(env, "cli.help.title"))
	fmt.Fprintln(w, "\n"+T(env, "cli.help.intro"))
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c := commands[n]
		summary := T(env, "cli.help.cmd."+n)
		if summary == "cli.help.cmd."+n {
			summary = c.Summary
		}
		fmt.Fprintf(w, "  %-10s %s\n  %-10s   rehabdesk %s %s\n", n, summary, "", n, c.Usage)
	}
	fmt.Fprintln(w, "\n"+T(env, "cli.help.password"))
	fmt.Fprintln(w, T(env, "cli.help.language"))
	fmt.Fprintln(w, T(env, "cli.help.default_db", DefaultDBPath()))
}

// usageError marks mistakes in the command line itself (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// Usagef reports a command-line mistake.
func Usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// NewFlags makes a flag set that reports errors instead of exiting.
func NewFlags(env *Env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("rehabdesk "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

// Parse parses flags, turning a flag error into a usage error. Flags may
// come before or after positional arguments.
func Parse(fs *flag.FlagSet, args []string) ([]string, error) {
	pos, err := flagargs.Parse(fs, args)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		return nil, usageError{err.Error()}
	}
	return pos, err
}

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
