package cmdline

import (
	"errors"
	"flag"
	"fmt"
	"testing"
)

// A flag mistake reaches the program as a keyed error, so that rehabdesk
// can say it in Chinese, and keeps the flag package's text for countyd.
func TestFlagMistakesAreKeyed(t *testing.T) {
	cases := []struct {
		args []string
		key  string
		want []any
	}{
		{[]string{"--bogus"}, "cli.flag.unknown", []any{"--bogus"}},
		{[]string{"--out"}, "cli.flag.no_value", []any{"--out"}},
		{[]string{"--n", "many"}, "cli.flag.bad_value", []any{"--n", "many"}},
		{[]string{"--json=maybe"}, "cli.flag.bad_value", []any{"--json", "maybe"}},
		{[]string{"---x"}, "cli.flag.syntax", []any{"---x"}},
	}
	for _, c := range cases {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.String("out", "", "")
		fs.Int("n", 0, "")
		fs.Bool("json", false, "")
		_, err := Parse(fs, c.args)
		var usage *UsageError
		var fe *FlagError
		if !errors.As(err, &usage) || !errors.As(err, &fe) {
			t.Errorf("%v: %v, want a usage error wrapping a FlagError", c.args, err)
			continue
		}
		key, args := fe.MessageKey()
		if key != c.key || fmt.Sprint(args) != fmt.Sprint(c.want) {
			t.Errorf("%v: %s %v, want %s %v", c.args, key, args, c.key, c.want)
		}
		if err.Error() == "" || err.Error() != fe.Error() {
			t.Errorf("%v: text %q, want the flag package's own", c.args, err.Error())
		}
	}
}
