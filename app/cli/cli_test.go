package cli

import (
	"strings"
	"testing"
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
