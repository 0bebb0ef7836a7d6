//go:build unix

package cmdline

import (
	"context"
	"errors"
	"os"
	"os/exec"
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

// A command that ignores its cancelled context still dies on a second
// SIGTERM. The command runs in a child: this test binary, run again.
func TestSecondSIGTERMKillsAHungCommand(t *testing.T) {
	if os.Getenv("CMDLINE_HUNG_CHILD") == "1" {
		p := &Program[*testEnv]{Name: "prog"}
		p.Register(Command[*testEnv]{Name: "hang", Run: func(context.Context, *testEnv, []string) error {
			os.Stdout.WriteString("ready\n")
			time.Sleep(time.Minute)
			return nil
		}})
		os.Exit(p.Main(&testEnv{}, []string{"hang"}))
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSecondSIGTERMKillsAHungCommand$")
	cmd.Env = append(os.Environ(), "CMDLINE_HUNG_CHILD=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if _, err := out.Read(make([]byte, 6)); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	// The first signal cancels; the handler is gone a moment later, so
	// signal until the child dies (one more should do) or clearly hangs.
	tick, deadline := time.NewTicker(200*time.Millisecond), time.After(20*time.Second)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGTERM {
				t.Errorf("the child ended with %v, not killed by SIGTERM", err)
			}
			return
		case <-tick.C:
			if err := cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
				t.Fatal(err)
			}
		case <-deadline:
			_ = cmd.Process.Kill()
			t.Fatal("repeated SIGTERMs did not end a hung command")
		}
	}
}
