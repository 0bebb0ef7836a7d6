package main

import (
	"strings"
	"testing"

	"rehabdesk/internal/version"
)

// countyd help lists every command as rehabdesk help does: name and
// summary, then the synopsis, then what every command takes.
func TestHelpListsEveryCommandLikeRehabdesk(t *testing.T) {
	code, out := runCountyd("help")
	for _, want := range []string{
		"countyd — RehabDesk county sync server\n\nCommands:\n",
		"  devices     list the enrolled devices and when each last synced\n                countyd devices --db PATH\n",
		"  enroll-code issue a one-time code that enrolls a device\n",
		"  version     print the version, the commit and the build date of this program\n                countyd version\n",
		"\nEvery command takes --key FILE (default $COUNTYD_KEY)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %q:\n%s", want, out)
		}
	}
	for _, name := range []string{"serve", "township", "revoke", "exchange", "loadtest", "migrate", "report", "target", "user"} {
		if !strings.Contains(out, "\n  "+name+" ") {
			t.Errorf("help does not list %s", name)
		}
	}
	if code != 0 {
		t.Errorf("help: exit %d", code)
	}
}

// A usage error names the command and gives its synopsis once; an unknown
// command points to help; both exit 2.
func TestUsageAndUnknownCommand(t *testing.T) {
	t.Setenv(pgEnv, "")
	for args, want := range map[string]string{
		"devices":         "countyd devices: --db (or --pg) is required\nusage: countyd devices --db PATH\n",
		"devices --nope":  "countyd devices: flag provided but not defined: -nope\nusage: countyd devices --db PATH\n",
		"version extra":   "countyd version: version takes no arguments\nusage: countyd version\n",
		"enrol-code --db": "countyd: unknown command \"enrol-code\"; run countyd help for the list.\n",
	} {
		if code, out := runCountyd(strings.Fields(args)...); code != 2 || out != want {
			t.Errorf("%s: exit %d, %q; want %q", args, code, out, want)
		}
	}
}

func TestVersion(t *testing.T) {
	if code, out := runCountyd("version"); code != 0 || out != "countyd "+version.Get().String()+"\n" {
		t.Errorf("version: exit %d, %q", code, out)
	}
}
