package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"rehabdesk/app/msg"
)

// The shared framework speaks rehabdesk's language: an unknown command
// and a usage error are told in Chinese or English, with exit status 2.
func TestDispatchSpeaksTheUsersLanguage(t *testing.T) {
	for _, tc := range []struct{ lang, unknown, usage string }{
		{"zh", "rehabdesk: 未知命令“nope”，运行 rehabdesk help 查看所有命令。\n", "\n用法: rehabdesk version\n"},
		{"en", "rehabdesk: unknown command \"nope\"; run rehabdesk help for the list.\n", "\nusage: rehabdesk version\n"},
	} {
		vars := map[string]string{"REHABDESK_LANG": tc.lang}
		if out, errs, code := runEnv(t, vars, nil, "nope"); code != 2 || errs != tc.unknown || out != "" {
			t.Errorf("%s: unknown command: exit %d, stderr %q", tc.lang, code, errs)
		}
		if _, errs, code := runEnv(t, vars, nil, "version", "extra"); code != 2 || !strings.HasSuffix(errs, tc.usage) {
			t.Errorf("%s: usage error: exit %d, stderr %q", tc.lang, code, errs)
		}
	}
}

// An officer who mistypes a command is told what is wrong in Chinese, not
// in the flag package's English, and an English user in English.
func TestUsageMistakesAreInTheUsersLanguage(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		zh, en string
	}{
		{[]string{"version", "extra"}, "version 命令不带参数。", "the version command takes no arguments."},
		{[]string{"export", "--bogus"}, "没有 --bogus 这个参数。", "no such flag: --bogus."},
		{[]string{"export", "--out"}, "参数 --out 后面要写值。", "the flag --out needs a value."},
		{[]string{"alerts", "--json=maybe"}, "参数 --json 的值“maybe”不对。", "the flag --json cannot take the value \"maybe\"."},
		{[]string{"init", "--township", "520102016"}, "缺少必填参数：--township, --user。", "missing required flag: --township, --user."},
	} {
		for lang, want := range map[string]string{"zh": tc.zh, "en": tc.en} {
			_, errs, code := runEnv(t, map[string]string{"REHABDESK_LANG": lang}, nil, tc.args...)
			if code != 2 || !strings.Contains(errs, want) {
				t.Errorf("%s %v: exit %d, stderr %q, want %q", lang, tc.args, code, errs, want)
			}
		}
	}
}

// Every mistake a command reports with usage(KEY, ...) has its text in
// both languages: a missing one would show the bare key.
func TestEveryUsageMistakeIsTranslated(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	call := regexp.MustCompile(`usage\("([a-z_.]+)"`)
	seen := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllStringSubmatch(string(src), -1) {
			seen++
			for _, lang := range []string{"zh", "en"} {
				if msg.Text(lang, m[1]) == m[1] {
					t.Errorf("%s: %s has no %s text", f, m[1], lang)
				}
			}
		}
	}
	if seen < 10 {
		t.Errorf("found %d usage(...) calls; the pattern no longer matches the code", seen)
	}
}
