package flagargs

import (
	"errors"
	"flag"
	"io"
	"slices"
	"testing"
)

func TestFlagsBeforeAndAfterPositionals(t *testing.T) {
	for _, args := range [][]string{
		{"--db", "x.db", "a.csv", "b.csv"},
		{"a.csv", "--db", "x.db", "b.csv"},
		{"a.csv", "b.csv", "--db", "x.db"},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		db := fs.String("db", "", "")
		pos, err := Parse(fs, args)
		if err != nil || *db != "x.db" || !slices.Equal(pos, []string{"a.csv", "b.csv"}) {
			t.Errorf("%q: db=%q pos=%q err=%v", args, *db, pos, err)
		}
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if _, err := Parse(fs, []string{"a", "--nope"}); err == nil || errors.Is(err, flag.ErrHelp) {
		t.Errorf("unknown flag: %v", err)
	}
	if _, err := Parse(fs, []string{"-h"}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v", err)
	}
}
