package cmdline

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
)

// testEnv captures what a command prints; lang "xx" asks for the test's
// own translations.
type testEnv struct {
	out, err bytes.Buffer
	lang     string
}

func (e *testEnv) Streams() (io.Writer, io.Writer) { return &e.out, &e.err }

// copyCmd takes two positionals and a --force flag, like a real command.
func copyCmd(p *Program[*testEnv], ran *[]string) Command[*testEnv] {
	return Command[*testEnv]{Name: "cp", Summary: "copy a file", Usage: "SRC DST [--force]",
		Run: func(_ context.Context, env *testEnv, args []string) error {
			fs := p.NewFlags(env, "cp")
			force := fs.Bool("force", false, "overwrite DST")
			pos, err := Parse(fs, args)
			if err != nil {
				return err
			}
			if len(pos) != 2 {
				return Usagef("cp needs SRC and DST, got %d", len(pos))
			}
			*ran = append(pos, strings.Repeat("force", btoi(*force)))
			return nil
		}}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// testProgram has cp, a failing command and a command named after a
// translated summary.
func testProgram(ran *[]string) *Program[*testEnv] {
	p := &Program[*testEnv]{Name: "prog",
		Intro: func(*testEnv) string { return "prog — a test program" },
		Notes: func(*testEnv) string { return "every command takes --db" },
	}
	p.Register(copyCmd(p, ran))
	p.Register(Command[*testEnv]{Name: "fail", Summary: "always fails",
		Run: func(context.Context, *testEnv, []string) error { return errors.New("disk on fire") }})
	return p
}

func run(p *Program[*testEnv], lang string, args ...string) (*testEnv, int) {
	env := &testEnv{lang: lang}
	return env, p.Run(context.Background(), env, args)
}

func TestExitStatuses(t *testing.T) {
	var ran []string
	p := testProgram(&ran)
	for _, tc := range []struct {
		args      []string
		code      int
		stderr    string
		wantStdio bool
	}{
		{[]string{"cp", "a", "b"}, ExitOK, "", false},
		{[]string{"fail"}, ExitFailure, "prog fail: disk on fire\n", false},
		{[]string{"cp", "a"}, ExitUsage, "prog cp: cp needs SRC and DST, got 1\nusage: prog cp SRC DST [--force]\n", false},
		{[]string{"nope", "a"}, ExitUsage, "prog: unknown command \"nope\"; run prog help for the list.\n", false},
		{[]string{"cp", "-h"}, ExitOK, "usage: prog cp SRC DST [--force]\n  -force\n    \toverwrite DST\n", false},
	} {
		env, code := run(p, "", tc.args...)
		if code != tc.code || env.err.String() != tc.stderr || env.out.Len() != 0 {
			t.Errorf("%q: exit %d, stderr %q, stdout %q; want exit %d, stderr %q", tc.args, code, env.err.String(), env.out.String(), tc.code, tc.stderr)
		}
	}
}

// A flag mistake is said once, with the synopsis, not once by the flag
// package and again by the dispatcher.
func TestBadFlagIsReportedOnce(t *testing.T) {
	var ran []string
	env, code := run(testProgram(&ran), "", "cp", "a", "b", "--nope")
	want := "prog cp: flag provided but not defined: -nope\nusage: prog cp SRC DST [--force]\n"
	if code != ExitUsage || env.err.String() != want || ran != nil {
		t.Errorf("exit %d, ran %q, stderr:\n%s\nwant:\n%s", code, ran, env.err.String(), want)
	}
}

func TestFlagsBeforeAndAfterPositionals(t *testing.T) {
	for _, args := range [][]string{
		{"cp", "--force", "a", "b"},
		{"cp", "a", "--force", "b"},
		{"cp", "a", "b", "--force"},
	} {
		var ran []string
		if _, code := run(testProgram(&ran), "", args...); code != ExitOK || !slices.Equal(ran, []string{"a", "b", "force"}) {
			t.Errorf("%q: exit %d, ran %q", args, code, ran)
		}
	}
}
