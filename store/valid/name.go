package valid

import (
	"strings"
	"unicode"
)

// maxNameRunes is the longest personal name accepted; long minority
// names written with "·" stay well below it.
const maxNameRunes = 30

// middleDot is the separator the national standard uses in transliterated
// minority names, e.g. "阿依古丽·买买提".
const middleDot = '·'

// dotLike are the look-alike separators found in ledgers; Normalize has
// already folded the full-width and half-width forms.
const dotLike = "·•‧・.∙⋅･\u0387"

// ParseName checks a personal name and returns it normalised: full-width
// letters folded, padding spaces between Chinese characters removed (as in
// the aligned "张  三"), and any dot-like separator between letters turned
// into U+00B7 "·". Han characters (including rare ones outside the BMP),
// Latin letters and "·" are allowed, 1 to 30 runes. Errors are *Error with
// Field "name".
func ParseName(s string) (string, error) {
	n := Normalize(s)
	if n == "" {
		return "", fail(FieldName, CodeRequired, "")
	}
	r := joinName([]rune(n))
	if !nameRunesOK(r) {
		return "", fail(FieldName, CodeName, n)
	}
	if len(r) > maxNameRunes {
		return "", fail(FieldName, CodeTooLong, n)
	}
	return string(r), nil
}

// joinName maps dot-like runes to "·" and drops spaces, except a single
// space between two Latin letters ("Maria Lopez").
func joinName(in []rune) []rune {
	out := make([]rune, 0, len(in))
	for i, c := range in {
		switch {
		case strings.ContainsRune(dotLike, c):
			out = append(out, middleDot)
		case c != ' ':
			out = append(out, c)
		case i > 0 && i+1 < len(in) && isLatin(in[i-1]) && isLatin(in[i+1]):
			out = append(out, ' ')
		}
	}
	return out
}

// nameRunesOK reports whether every rune is allowed and each "·" sits
// between two letters.
func nameRunesOK(r []rune) bool {
	for i, c := range r {
		switch {
		case unicode.Is(unicode.Han, c), isLatin(c), c == ' ':
		case c == middleDot && i > 0 && i+1 < len(r) && isLetter(r[i-1]) && isLetter(r[i+1]):
		default:
			return false
		}
	}
	return true
}

// isLatin reports a Latin-script letter such as those of pinyin names.
func isLatin(c rune) bool {
	return unicode.Is(unicode.Latin, c) && unicode.IsLetter(c)
}

// isLetter reports a rune that may stand next to "·".
func isLetter(c rune) bool {
	return isLatin(c) || unicode.Is(unicode.Han, c)
}
