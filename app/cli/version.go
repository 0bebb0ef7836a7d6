package cli

import (
	"context"
	"fmt"

	"rehabdesk/internal/cmdline"
	"rehabdesk/internal/version"
)

func init() {
	program.Register(Command{
		Name:    "version",
		Summary: "print the version, the commit and the build date of this program",
		Usage:   "",
		Run:     runVersion,
	})
}

func runVersion(_ context.Context, env *Env, args []string) error {
	if len(args) > 0 {
		return cmdline.Usagef("version takes no arguments")
	}
	fmt.Fprintf(env.Stdout, "rehabdesk %s\n", version.Get())
	return nil
}
