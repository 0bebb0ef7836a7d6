package cmdline

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// printHelp lists the commands in name order, each with its summary and
// its synopsis, between the program's Intro and Notes.
func (p *Program[E]) printHelp(env E, w io.Writer) {
	if p.Intro != nil {
		fmt.Fprintln(w, p.Intro(env))
	}
	names := p.names()
	width := 10 // at least, so that short lists line up as they always did
	for _, n := range names {
		width = max(width, len(n))
	}
	for _, n := range names {
		c := p.commands[n]
		synopsis := strings.TrimSpace(p.Name + " " + n + " " + c.Usage)
		fmt.Fprintf(w, "  %-*s %s\n  %-*s   %s\n", width, n, p.summary(env, c), width, "", synopsis)
	}
	if p.Notes != nil {
		fmt.Fprintln(w, "\n"+p.Notes(env))
	}
}

func (p *Program[E]) names() []string {
	names := make([]string, 0, len(p.commands))
	for n := range p.commands {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
