package cmdline

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// Exit statuses of Main and Run.
const (
	ExitOK      = 0 // the command did its work, or help was asked for
	ExitFailure = 1 // the command failed
	ExitUsage   = 2 // the command line itself is wrong: unknown command, bad flag
)

// Main runs the command args name and returns the process's exit status.
// A first Ctrl-C or SIGTERM cancels the command's context, so that a sync
// or an import stops where it checks; a second one kills the process as
// usual, for a command that hangs (every write is a transaction, so a
// kill loses nothing saved).
func (p *Program[E]) Main(env E, args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop)
	return p.Run(ctx, env, args)
}

// Run is Main with the caller's context, for tests and for programs that
// make their own.
func (p *Program[E]) Run(ctx context.Context, env E, args []string) int {
	stdout, stderr := env.Streams()
	if len(args) == 0 || isHelp(args[0]) {
		p.printHelp(env, stdout)
		return ExitOK
	}
	c, ok := p.commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "%s: %s\n", p.Name, p.text(env, KeyUnknown, args[0], p.Name))
		return ExitUsage
	}
	return p.report(env, c, c.Run(ctx, env, args[1:]))
}

// report prints what a command's error means to its user and returns the
// exit status: a usage error comes with the command's synopsis.
func (p *Program[E]) report(env E, c Command[E], err error) int {
	_, stderr := env.Streams()
	var usage *UsageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return ExitOK
	case errors.As(err, &usage):
		fmt.Fprintf(stderr, "%s %s: %s\n%s\n", p.Name, c.Name, p.message(env, usage.err), p.usageLine(env, c))
		return ExitUsage
	}
	fmt.Fprintf(stderr, "%s %s: %s\n", p.Name, c.Name, p.message(env, err))
	return ExitFailure
}
