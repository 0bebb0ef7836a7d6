package store

import (
	"encoding/json"
	"slices"
	"unicode/utf8"
)

// The write path encodes every record's fields and versions and every
// change's payload: encoding/json sorts map keys through reflection and
// allocates for each, which cost a bulk import more than sealing. These
// encoders write the same bytes as json.Marshal for valid UTF-8 (keys
// sorted, <, >, & and U+2028/U+2029 escaped) and fall back to it otherwise.

// marshalStrings is json.Marshal of a map[string]string.
func marshalStrings(m map[string]string) ([]byte, error) {
	if m == nil {
		return []byte("null"), nil
	}
	keys := make([]string, 0, len(m))
	size := 2
	valid := "" // the last value checked, often the next one too (versions)
	for k, v := range m {
		if !utf8.ValidString(k) || v != valid && !utf8.ValidString(v) {
			return json.Marshal(m)
		}
		valid = v
		keys = append(keys, k)
		size += len(k) + len(v) + 6
	}
	slices.Sort(keys)
	b := make([]byte, 0, size+size/8)
	return appendStrings(b, keys, m), nil
}

// appendStrings writes the object of m's keys in order. A value equal to
// the one before is copied as already quoted: a new record's versions are
// all one string.
func appendStrings(b []byte, keys []string, m map[string]string) []byte {
	b = append(b, '{')
	prev, from, to := "", 0, 0
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		v := m[k]
		if i > 0 && v == prev {
			b = append(b, b[from:to]...)
			continue
		}
		from = len(b)
		b = appendJSONString(b, v)
		prev, to = v, len(b)
	}
	return append(b, '}')
}

// marshalPayload is json.Marshal of changePayload{Fields: f, Bases: bases}.
func marshalPayload(f map[string]string, bases map[string][]string) ([]byte, error) {
	keys := make([]string, 0, len(f))
	size := 16
	for k, v := range f {
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return json.Marshal(changePayload{Fields: f, Bases: bases})
		}
		keys = append(keys, k)
		size += len(k) + len(v) + 6
	}
	bkeys := make([]string, 0, len(bases))
	for k, vs := range bases {
		if !utf8.ValidString(k) {
			return json.Marshal(changePayload{Fields: f, Bases: bases})
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return json.Marshal(changePayload{Fields: f, Bases: bases})
			}
			size += len(v) + 3
		}
		bkeys = append(bkeys, k)
		size += len(k) + 6
	}
	slices.Sort(keys)
	slices.Sort(bkeys)
	b := make([]byte, 0, size+size/8)
	b = append(b, `{"f":`...)
	if f == nil {
		b = append(b, "null"...)
	} else {
		b = appendStrings(b, keys, f)
	}
	if len(bases) > 0 {
		b = append(b, `,"b":{`...)
		for i, k := range bkeys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			if bases[k] == nil {
				b = append(b, "null"...)
				continue
			}
			b = append(b, '[')
			for j, v := range bases[k] {
				if j > 0 {
					b = append(b, ',')
				}
				b = appendJSONString(b, v)
			}
			b = append(b, ']')
		}
		b = append(b, '}')
	}
	return append(b, '}'), nil
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s, valid UTF-8, quoted as encoding/json does.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
