package valid

import (
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/width"
)

// slowNormalize is Normalize without the already-normalized shortcut.
func slowNormalize(s string) string {
	s = width.Fold.String(s)
	var b strings.Builder
	pending := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' {
			pending = b.Len() > 0
			continue
		}
		if pending {
			b.WriteByte(' ')
			pending = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TestNormalizeShortcut checks that the shortcut for normalized text
// agrees with the full normalisation.
func TestNormalizeShortcut(t *testing.T) {
	cases := []string{"", " ", "a", "a b", "a  b", " a", "a ", "张三", "张 三", "张\u3000三", "１３８", "（注）",
		"ｶﾀｶﾅ", "a\tb", "a\nb", "x\u00a0y", "x\u200by", "\ufeffx", "bad\xff", "\xe5\xbc", "abc·def", "Ａ",
		"贵阳市南明区花果园街道办事处", "2024-01-02", "13812345678", "k粉、冰毒", "€£¥", "～", "〜", "、。"}
	for r := rune(0); r < 0x30000; r++ {
		cases = append(cases, string(r), "a"+string(r)+"b")
	}
	for _, s := range cases {
		if got, want := Normalize(s), slowNormalize(s); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", s, got, want)
		}
	}
}
