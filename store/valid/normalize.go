package valid

import (
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// Normalize prepares typed or imported text for checking and storage:
// full-width letters, digits and punctuation become half-width (Chinese
// input methods produce "１３８" and "（"), leading and trailing Unicode
// spaces (including U+3000 and NBSP) are removed, and each inner run of
// spaces becomes one ASCII space.
func Normalize(s string) string {
	s = width.Fold.String(s)
	var b strings.Builder
	b.Grow(len(s))
	pending := false
	for _, r := range s {
		if isSpace(r) {
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

// isSpace reports Unicode white space plus the invisible zero-width space
// and byte-order mark that copy-paste from web pages leaves in cells.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
}
