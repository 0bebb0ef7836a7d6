package cmdline

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// UsageError is a mistake in the command line itself: Run prints it with
// the command's synopsis and exits with ExitUsage. It wraps the error that
// says what the mistake is, so that a program's Message hook can translate
// a keyed one.
type UsageError struct{ err error }

func (e *UsageError) Error() string { return e.err.Error() }

// Unwrap gives the mistake itself.
func (e *UsageError) Unwrap() error { return e.err }

// Usagef reports a command-line mistake in plain text.
func Usagef(format string, a ...any) error {
	return &UsageError{fmt.Errorf(format, a...)}
}

// Usage marks err as a command-line mistake.
func Usage(err error) error { return &UsageError{err} }

// NewFlags makes the flag set of a command (name may add a verb, as in
// "user add"): errors are returned, not fatal, and -h prints the command's
// synopsis and flags on the env's stderr.
func (p *Program[E]) NewFlags(env E, name string) *flag.FlagSet {
	_, stderr := env.Streams()
	fs := flag.NewFlagSet(p.Name+" "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cmd, _, _ := strings.Cut(name, " ")
	fs.Usage = func() {
		fmt.Fprintln(stderr, p.usageLine(env, p.commands[cmd]))
		fs.PrintDefaults()
	}
	return fs
}

// Parse parses flags that may come before or after the positional
// arguments ("import FILE --db X" as well as "import --db X FILE"), as
// officers type them, and returns the positionals. A flag mistake is a
// UsageError, which Run prints once; -h prints the flag set's usage and
// returns flag.ErrHelp.
func Parse(fs *flag.FlagSet, args []string) ([]string, error) {
	pos, err := parseQuietly(fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp) && fs.Usage != nil:
		fs.Usage()
		return nil, err
	case errors.Is(err, flag.ErrHelp):
		fs.PrintDefaults()
		return nil, err
	case err != nil:
		return nil, &UsageError{flagMistake(err)}
	}
	return pos, nil
}

// parseQuietly parses everything while the flag package's own error line
// and usage are silenced: Parse reports them instead, so that a mistake is
// not printed twice.
func parseQuietly(fs *flag.FlagSet, args []string) ([]string, error) {
	out, usage := fs.Output(), fs.Usage
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	defer func() { fs.SetOutput(out); fs.Usage = usage }()
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}
