package store

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestMarshalMatchesJSON checks the write path's encoders against
// encoding/json byte for byte.
func TestMarshalMatchesJSON(t *testing.T) {
	values := []string{"", "a", "张三", "a\"b\\c", "<b>&amp;</b>", "line\nbreak\r\t\b\f\x01\x1f", "\u2028\u2029x",
		"bad\xffutf8", "é😀", "2026-01-02T03:04:05.000000006Z-0001@dev"}
	for _, k := range values {
		for _, v := range values {
			m := map[string]string{k: v, "z" + k: v + k, "name": "王五"}
			// Repeated values, as in a new record's versions, interleaved with others.
			same := map[string]string{k: v, "a" + k: v, "b" + k: v, "c": "x", "d": v, "e": v}
			for _, m := range []map[string]string{m, same} {
				want, _ := json.Marshal(m)
				got, err := marshalStrings(m)
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("marshalStrings(%q) = %s, want %s", m, got, want)
				}
			}
			bases := map[string][]string{k: {v, "x"}, "id": {v}}
			for _, b := range []map[string][]string{nil, {}, bases} {
				want, _ := json.Marshal(changePayload{Fields: m, Bases: b})
				got, err := marshalPayload(m, b)
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("marshalPayload(%q, %q) = %s, want %s", m, b, got, want)
				}
			}
		}
	}
	for _, m := range []map[string]string{nil, {}} {
		want, _ := json.Marshal(changePayload{Fields: m})
		if got, err := marshalPayload(m, nil); err != nil || !bytes.Equal(got, want) {
			t.Errorf("marshalPayload(%#v) = %s, want %s (error %v)", m, got, want, err)
		}
		want, _ = json.Marshal(m)
		if got, err := marshalStrings(m); err != nil || !bytes.Equal(got, want) {
			t.Errorf("marshalStrings(%#v) = %s, want %s (error %v)", m, got, want, err)
		}
	}
}

// marshalPayload is json.Marshal of changePayload{Fields: f, Bases: bases}
// by the encoder sealPayload uses, without the sealing.
func marshalPayload(f map[string]string, bases map[string][]string) ([]byte, error) {
	var fr, br [keysRoom]string
	p, ok := sortPayload(fr[:0], br[:0], f, bases)
	if !ok {
		return json.Marshal(changePayload{Fields: f, Bases: bases})
	}
	return p.append(make([]byte, 0, p.size+p.size/8)), nil
}
