package store

import (
	"encoding/json"
	"slices"
	"unicode/utf8"
	"unsafe"
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
	var room [keysRoom]string
	keys, size, ok := sortedStrings(room[:0], m)
	if !ok {
		return json.Marshal(m)
	}
	return appendStrings(make([]byte, 0, size+size/8), keys, m), nil
}

// keysRoom is how many keys the encoders sort on the stack: records have
// about a dozen fields, changes mostly one.
const keysRoom = 16

// stringsJSON is marshalStrings as a string, without copying the bytes
// into one.
func stringsJSON(m map[string]string) (string, error) {
	b, err := marshalStrings(m)
	return ownedString(b), err
}

// ownedString returns b's bytes as a string without copying them. Only for
// a buffer made by the caller that nothing writes to afterwards: the
// string would change with it.
func ownedString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// sealStrings is seal(marshalStrings(m), ad), encoding straight into the
// sealed value's buffer.
func sealStrings(s *sealer, m map[string]string, ad []byte) ([]byte, error) {
	var room [keysRoom]string
	keys, size, ok := sortedStrings(room[:0], m)
	if m == nil || !ok {
		b, err := marshalStrings(m)
		if err != nil {
			return nil, err
		}
		return s.seal(b, ad), nil
	}
	return s.sealInPlace(appendStrings(s.sealBuf(size+size/8), keys, m), ad), nil
}

// sortedStrings appends m's keys to keys, sorted, and returns them with
// the encoded object's approximate size; ok is false when a key or value
// is not valid UTF-8 (the encoders then leave it to encoding/json).
func sortedStrings(keys []string, m map[string]string) (_ []string, size int, ok bool) {
	size = 2
	valid := "" // the last value checked, often the next one too (versions)
	for k, v := range m {
		if !utf8.ValidString(k) || v != valid && !utf8.ValidString(v) {
			return nil, 0, false
		}
		valid = v
		keys = append(keys, k)
		size += len(k) + len(v) + 6
	}
	slices.Sort(keys)
	return keys, size, true
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

// sealPayload is seal(json.Marshal(changePayload{Fields: f, Bases: bases}),
// ad), encoding straight into the sealed value's buffer.
func sealPayload(s *sealer, f map[string]string, bases map[string][]string, ad []byte) ([]byte, error) {
	var fr, br [keysRoom]string
	p, ok := sortPayload(fr[:0], br[:0], f, bases)
	if !ok {
		b, err := json.Marshal(changePayload{Fields: f, Bases: bases})
		if err != nil {
			return nil, err
		}
		return s.seal(b, ad), nil
	}
	return s.sealInPlace(p.append(s.sealBuf(p.size+p.size/8)), ad), nil
}

// payloadKeys is a change payload with its keys sorted for encoding.
type payloadKeys struct {
	f            map[string]string
	bases        map[string][]string
	fkeys, bkeys []string
	size         int // approximate encoded size
}

// sortPayload sorts the payload's keys into fkeys and bkeys; ok is false
// when a string is not valid UTF-8.
func sortPayload(fkeys, bkeys []string, f map[string]string, bases map[string][]string) (_ payloadKeys, ok bool) {
	p := payloadKeys{f: f, bases: bases, fkeys: fkeys, bkeys: bkeys, size: 16}
	for k, v := range f {
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return p, false
		}
		p.fkeys = append(p.fkeys, k)
		p.size += len(k) + len(v) + 6
	}
	for k, vs := range bases {
		if !utf8.ValidString(k) {
			return p, false
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return p, false
			}
			p.size += len(v) + 3
		}
		p.bkeys = append(p.bkeys, k)
		p.size += len(k) + 6
	}
	slices.Sort(p.fkeys)
	slices.Sort(p.bkeys)
	return p, true
}

// append writes the payload's JSON to b.
func (p *payloadKeys) append(b []byte) []byte {
	b = append(b, `{"f":`...)
	if p.f == nil {
		b = append(b, "null"...)
	} else {
		b = appendStrings(b, p.fkeys, p.f)
	}
	if len(p.bases) > 0 {
		b = append(b, `,"b":{`...)
		for i, k := range p.bkeys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			if p.bases[k] == nil {
				b = append(b, "null"...)
				continue
			}
			b = append(b, '[')
			for j, v := range p.bases[k] {
				if j > 0 {
					b = append(b, ',')
				}
				b = appendJSONString(b, v)
			}
			b = append(b, ']')
		}
		b = append(b, '}')
	}
	return append(b, '}')
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
