package cmdline

import (
	"fmt"
	"strings"
)

// FlagError is a mistake the flag package found: an unknown flag, a flag
// without its value, a value that does not parse. Its Error is the flag
// package's English text; MessageKey lets a program say it in the user's
// language ("cli.flag.unknown" with the flag's name, and so on).
type FlagError struct {
	Key  string // cli.flag.unknown, cli.flag.no_value, cli.flag.bad_value or cli.flag.syntax
	Args []any  // the flag's name, written --name as the help writes it, and for bad_value the value
	text string
}

func (e *FlagError) Error() string { return e.text }

// MessageKey gives the translation key and its arguments.
func (e *FlagError) MessageKey() (string, []any) { return e.Key, e.Args }

// flagPatterns are the flag package's error texts (Go's flag.go), matched
// by prefix; their wording has been stable since Go 1.0.
var flagPatterns = []struct{ prefix, key string }{
	{"flag provided but not defined: -", "cli.flag.unknown"},
	{"flag needs an argument: -", "cli.flag.no_value"},
}

// flagMistake turns the flag package's error into a FlagError, keeping its
// text; an error of another shape stays as it is.
func flagMistake(err error) error {
	text := err.Error()
	for _, p := range flagPatterns {
		if name, ok := strings.CutPrefix(text, p.prefix); ok {
			return &FlagError{Key: p.key, Args: []any{"--" + strings.TrimLeft(name, "-")}, text: text}
		}
	}
	if typed, ok := strings.CutPrefix(text, "bad flag syntax: "); ok {
		return &FlagError{Key: "cli.flag.syntax", Args: []any{typed}, text: text}
	}
	// invalid value "x" for flag -name: reason; invalid boolean value "x" for -name: reason
	var value, name string
	if _, scan := fmt.Sscanf(text, "invalid value %q for flag %s", &value, &name); scan == nil {
		return &FlagError{Key: "cli.flag.bad_value", Args: []any{"--" + strings.Trim(name, "-:"), value}, text: text}
	}
	if _, scan := fmt.Sscanf(text, "invalid boolean value %q for %s", &value, &name); scan == nil {
		return &FlagError{Key: "cli.flag.bad_value", Args: []any{"--" + strings.Trim(name, "-:"), value}, text: text}
	}
	return err
}
