package cmdline

import (
	"strings"
	"testing"
)

// help, -h, --help and no command at all list every command in name
// order with its summary and synopsis, on stdout, and succeed.
func TestHelpListsEveryCommand(t *testing.T) {
	want := "prog — a test program\n" +
		"  cp         copy a file\n" +
		"               prog cp SRC DST [--force]\n" +
		"  fail       always fails\n" +
		"               prog fail\n" +
		"\nevery command takes --db\n"
	var ran []string
	p := testProgram(&ran)
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}, nil} {
		env, code := run(p, "", args...)
		if code != ExitOK || env.out.String() != want || env.err.Len() != 0 {
			t.Errorf("%q: exit %d, stdout:\n%s\nwant:\n%s", args, code, env.out.String(), want)
		}
	}
	if !p.IsCommand([]string{"help"}) || !p.IsCommand([]string{"cp", "x"}) || p.IsCommand([]string{"nope"}) || p.IsCommand(nil) {
		t.Error("IsCommand does not match the registry")
	}
}

// A long name widens the column instead of running into its summary.
func TestHelpAlignsLongNames(t *testing.T) {
	var ran []string
	p := testProgram(&ran)
	p.Register(Command[*testEnv]{Name: "enroll-code-long", Summary: "issue a code"})
	env, _ := run(p, "", "help")
	if !strings.Contains(env.out.String(), "  enroll-code-long issue a code\n") ||
		!strings.Contains(env.out.String(), "  cp               copy a file\n") {
		t.Errorf("columns do not line up:\n%s", env.out.String())
	}
}

// With Translate, the framework's own words and the summaries it has a
// text for come in the user's language; the others keep their English.
func TestTranslatedHelpAndErrors(t *testing.T) {
	xx := map[string]string{KeyUsage: "USAGE", KeyUnknown: "NO COMMAND %s IN %s", KeySummary + "cp": "COPY"}
	var ran []string
	p := testProgram(&ran)
	p.Translate = func(env *testEnv, key string) string {
		if t, ok := xx[key]; ok && env.lang == "xx" {
			return t
		}
		return key
	}
	env, _ := run(p, "xx", "help")
	if out := env.out.String(); !strings.Contains(out, "  cp         COPY\n") || !strings.Contains(out, "  fail       always fails\n") {
		t.Errorf("translated help:\n%s", out)
	}
	if env, _ := run(p, "xx", "nope"); env.err.String() != "prog: NO COMMAND nope IN prog\n" {
		t.Errorf("translated unknown command: %q", env.err.String())
	}
	if env, _ := run(p, "xx", "cp"); !strings.HasSuffix(env.err.String(), "\nUSAGE: prog cp SRC DST [--force]\n") {
		t.Errorf("translated usage: %q", env.err.String())
	}
	if env, _ := run(p, "en", "cp"); !strings.HasSuffix(env.err.String(), "\nusage: prog cp SRC DST [--force]\n") {
		t.Errorf("untranslated usage: %q", env.err.String())
	}
}

// Message renders failures; usage errors keep their own words.
func TestMessageHook(t *testing.T) {
	var ran []string
	p := testProgram(&ran)
	p.Message = func(_ *testEnv, err error) string { return "MSG(" + err.Error() + ")" }
	if env, code := run(p, "", "fail"); code != ExitFailure || env.err.String() != "prog fail: MSG(disk on fire)\n" {
		t.Errorf("exit %d, %q", code, env.err.String())
	}
}

func TestRegisterTwicePanics(t *testing.T) {
	var ran []string
	p := testProgram(&ran)
	defer func() {
		if recover() == nil {
			t.Error("a second cp was registered")
		}
	}()
	p.Register(Command[*testEnv]{Name: "cp"})
}
