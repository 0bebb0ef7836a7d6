package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"rehabdesk/app/cli"
)

// Under LANG or LC_ALL=C.UTF-8, the default of many servers, the command
// line prints its own output and no "Fyne error: Error parsing user locale
// C" lines. The check runs this test binary again as a child, since the
// lines come from package initialisation.
func TestCLIUnderCLocalePrintsNoFyneError(t *testing.T) {
	if os.Getenv("REHABDESK_LOCALE_CHILD") == "1" {
		os.Exit(cli.Main(cli.DefaultEnv(), []string{"help"}))
	}
	for _, v := range []string{"LANG", "LC_ALL"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCLIUnderCLocalePrintsNoFyneError$")
		cmd.Env = append(withoutLocale(os.Environ()), "REHABDESK_LOCALE_CHILD=1", v+"=C.UTF-8")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s=C.UTF-8: %v\n%s", v, err, stderr.String())
		}
		if strings.Contains(stderr.String(), "Fyne error") || !strings.Contains(stdout.String(), "rehabdesk") {
			t.Errorf("%s=C.UTF-8: stderr %q, stdout %q", v, stderr.String(), stdout.String())
		}
	}
}

func withoutLocale(env []string) []string {
	var out []string
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if k != "LANG" && k != "LC_ALL" && k != "LC_MESSAGES" && k != "LANGUAGE" && k != "REHABDESK_LANG" {
			out = append(out, kv)
		}
	}
	return out
}
