package valid

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Normalize prepares typed or imported text for checking and storage:
// full-width letters, digits and punctuation become half-width (Chinese
// input methods produce "１３８" and "（"), leading and trailing Unicode
// spaces (including U+3000 and NBSP) are removed, and each inner run of
// spaces becomes one ASCII space.
func Normalize(s string) string {
	if normalized(s) {
		return s
	}
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

// normalized reports whether Normalize would return s unchanged: no rune
// width folds, no space but single inner ASCII spaces, valid UTF-8. Most
// values are (the store normalises what a ledger import already cleaned),
// and checking spares width.Fold's allocations.
func normalized(s string) bool {
	prevSpace := true // a leading space is not normalized
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == ' ':
				if prevSpace {
					return false
				}
				prevSpace = true
			case c >= '\t' && c <= '\r':
				return false
			default:
				prevSpace = false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if isHan(r) { // most non-ASCII text of a ledger: not space, no width fold
			prevSpace = false
			i += size
			continue
		}
		if r == utf8.RuneError && size == 1 || isSpace(r) || width.LookupRune(r).Folded() != 0 {
			return false
		}
		prevSpace = false
		i += size
	}
	return !prevSpace || s == ""
}

// isHan reports whether r is a CJK Unified Ideograph of the basic block
// (U+4E00 to U+9FFF), which neither white space nor width folding touch:
// checking those two tables for every character of names and addresses
// was most of what normalized cost.
func isHan(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF
}
