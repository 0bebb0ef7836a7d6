package cli

import (
	"context"
	"fmt"

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
		return usage("cli.usage.no_args", "version")
	}
	fmt.Fprintf(env.Stdout, "rehabdesk %s\n", version.Get())
	return nil
}
