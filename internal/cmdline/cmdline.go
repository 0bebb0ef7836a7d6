// Package cmdline is the one command-line framework of rehabdesk and
// countyd: a program is a set of commands, `PROGRAM NAME ARGS...` runs one,
// and both programs answer help, unknown commands, usage errors and
// failures the same way, with the same exit statuses.
//
// What differs between the programs stays with them and plugs in here:
// rehabdesk's translated messages (Program.Translate, Program.Message),
// the text around the help's list (Program.Intro, Program.Notes), and each
// program's own environment (any type with a Streams method), flags and
// logger. It imports neither Fyne nor the store, so countyd builds
// without cgo.
package cmdline

import (
	"context"
	"io"
)

// Env is what the framework needs of a program's environment: where
// output and help go, and where errors and usage go. Tests replace both.
type Env interface {
	Streams() (stdout, stderr io.Writer)
}

// Command is one `PROGRAM NAME ARGS...` subcommand.
type Command[E Env] struct {
	Name    string
	Summary string // one line for help, in English (Translate may replace it)
	Usage   string // argument synopsis after the name, e.g. "[--db PATH] FILE"
	Run     func(ctx context.Context, env E, args []string) error
}

// Program is one binary's commands and the way it speaks. Each program
// has its own value, filled by Register from init functions.
type Program[E Env] struct {
	Name string // "rehabdesk", "countyd": the first word of every message

	// Translate returns the text of a message key (the Key constants, and
	// KeySummary+NAME for a command's summary) in the user's language, or
	// the key itself when it has none. Nil keeps this package's English.
	Translate func(env E, key string) string
	// Message renders a failed command's error; nil means err.Error().
	Message func(env E, err error) string
	// Intro and Notes frame the help's list of commands; nil prints none.
	Intro, Notes func(env E) string

	commands map[string]Command[E]
}

// Register adds a command; a name registered twice is a programming error.
func (p *Program[E]) Register(c Command[E]) {
	if _, dup := p.commands[c.Name]; dup {
		panic(p.Name + ": command registered twice: " + c.Name)
	}
	if p.commands == nil {
		p.commands = map[string]Command[E]{}
	}
	p.commands[c.Name] = c
}

// IsCommand reports whether args start with a command or a request for
// help (so rehabdesk runs its command line, not its GUI).
func (p *Program[E]) IsCommand(args []string) bool {
	if len(args) == 0 {
		return false
	}
	_, ok := p.commands[args[0]]
	return ok || isHelp(args[0])
}

func isHelp(arg string) bool { return arg == "help" || arg == "-h" || arg == "--help" }
