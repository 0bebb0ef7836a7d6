package i18n

import (
	"errors"
	"testing"
)

// Every area's file is in the one table: the GUI's, the rules' and the
// report's words, in both languages, with Chinese as the fallback.
func TestOneTableForEveryArea(t *testing.T) {
	for _, key := range []string{"firstrun.title", "rules.severity.overdue", "report.cli.submitted"} {
		zh, en := Text("zh", key), Text("en", key)
		if zh == key || en == key || zh == en {
			t.Errorf("%s: zh %q, en %q", key, zh, en)
		}
	}
	if got := Text("fr", "firstrun.title"); got != Text("zh", "firstrun.title") {
		t.Errorf("unknown language: %q, want the Chinese text", got)
	}
	if got := T("en", "no.such.key"); got != "no.such.key" {
		t.Errorf("missing key: %q", got)
	}
}

func TestErrorNamesItsKey(t *testing.T) {
	var err error = NewError("security.error.disabled", "account is disabled")
	var keyed interface{ MessageKey() (string, []any) }
	if !errors.As(err, &keyed) || err.Error() != "account is disabled" {
		t.Fatalf("%v", err)
	}
	if key, args := keyed.MessageKey(); key != "security.error.disabled" || args != nil {
		t.Errorf("key %q %v", key, args)
	}
}
