package main

import (
	"context"
	"fmt"

	"rehabdesk/internal/version"
)

func runVersion(_ context.Context, e *env, args []string) error {
	if len(args) > 0 {
		return usageError{"version takes no arguments"}
	}
	fmt.Fprintf(e.stdout, "countyd %s\n", version.Get())
	return nil
}
