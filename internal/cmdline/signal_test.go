//go:build unix

package cmdline

import (
	"context"
	"syscall"
	"testing"
	"time"
)

// SIGTERM (as from systemd or kill) cancels the running command's
// context instead of killing the process mid-write; without Main's
// handler this test binary itself would die.
func TestMainCancelsTheCommandOnSIGTERM(t *testing.T) {
	p := &Program[*testEnv]{Name: "prog"}
	p.Register(Command[*testEnv]{Name: "wait", Run: func(ctx context.Context, _ *testEnv, _ []string) error {
		if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Second):
			return nil
		}
	}})
	env := &testEnv{}
	if code := p.Main(env, []string{"wait"}); code != ExitFailure || env.err.String() != "prog wait: context canceled\n" {
		t.Errorf("exit %d, %q", code, env.err.String())
	}
}
