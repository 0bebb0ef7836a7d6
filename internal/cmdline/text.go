package cmdline

import (
	"fmt"
	"strings"
)

// Message keys the framework asks Program.Translate for.
const (
	KeyUsage   = "cli.usage"           // the label before a command's synopsis
	KeyUnknown = "cli.unknown_command" // args: the name typed, the program's name
	KeySummary = "cli.help.cmd."       // + a command's name: its one-line summary
)

// english is the text of the keys for a program without translations.
var english = map[string]string{
	KeyUsage:   "usage",
	KeyUnknown: `unknown command "%s"; run %s help for the list.`,
}

// text renders a key in the user's language, falling back to English.
func (p *Program[E]) text(env E, key string, args ...any) string {
	format := english[key]
	if p.Translate != nil {
		if t := p.Translate(env, key); t != key {
			format = t
		}
	}
	return fmt.Sprintf(format, args...)
}

// summary is a command's summary in the user's language when there is one.
func (p *Program[E]) summary(env E, c Command[E]) string {
	if p.Translate != nil {
		if t := p.Translate(env, KeySummary+c.Name); t != KeySummary+c.Name {
			return t
		}
	}
	return c.Summary
}

// usageLine is "usage: PROGRAM NAME SYNOPSIS", as help and usage errors show it.
func (p *Program[E]) usageLine(env E, c Command[E]) string {
	return strings.TrimSpace(fmt.Sprintf("%s: %s %s %s", p.text(env, KeyUsage), p.Name, c.Name, c.Usage))
}

// message renders a failed command's error.
func (p *Program[E]) message(env E, err error) string {
	if p.Message != nil {
		return p.Message(env, err)
	}
	return err.Error()
}
