package main

import (
	"context"
	"fmt"

	"rehabdesk/internal/cmdline"
	"rehabdesk/internal/version"
)

func init() {
	program.Register(command{Name: "version", Summary: "print the version, the commit and the build date of this program", Run: runVersion})
}

func runVersion(_ context.Context, e *env, args []string) error {
	if len(args) > 0 {
		return cmdline.Usagef("version takes no arguments")
	}
	fmt.Fprintf(e.stdout, "countyd %s\n", version.Get())
	return nil
}
