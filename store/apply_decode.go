package store

import "unicode/utf8"

// decodeObject is decodeFields for JSON held in a string. A merge decodes
// two objects per record it reads (fields and versions); plain ones are
// sliced out of one string instead of copying every key and value.
func decodeObject(s string) (map[string]string, error) {
	if m, ok := plainObject(s); ok {
		return m, nil
	}
	return decodeFields([]byte(s))
}

// plainObject is plainFields over a string: {"k":"v",...} without
// whitespace or escapes, its keys and values substrings of s. Valid UTF-8
// as a whole means valid in every string, whose bounds are ASCII quotes.
func plainObject(s string) (map[string]string, bool) {
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' || !utf8.ValidString(s) {
		return nil, false
	}
	m := make(map[string]string, 8)
	if len(s) == 2 {
		return m, true
	}
	for i := 1; ; {
		k, j, ok := plainAt(s, i)
		if !ok || j >= len(s) || s[j] != ':' {
			return nil, false
		}
		v, j, ok := plainAt(s, j+1)
		if !ok || j >= len(s) {
			return nil, false
		}
		m[k] = v
		switch s[j] {
		case ',':
			i = j + 1
		case '}':
			return m, j == len(s)-1
		default:
			return nil, false
		}
	}
}

// plainAt reads a JSON string at s[i] without escapes or control
// characters, returning it and the index after its closing quote.
func plainAt(s string, i int) (string, int, bool) {
	if i >= len(s) || s[i] != '"' {
		return "", 0, false
	}
	for j := i + 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == '"':
			return s[i+1 : j], j + 1, true
		case c == '\\' || c < 0x20:
			return "", 0, false
		}
	}
	return "", 0, false
}
