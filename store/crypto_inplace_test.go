package store

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestSealInPlaceMatchesSeal checks the merge's encoders that write straight
// into a sealed value's buffer: what they seal opens to the bytes of the
// plain encoders, under its own associated data only, and no sealed value
// shares memory with another.
func TestSealInPlaceMatchesSeal(t *testing.T) {
	seal, err := newSealer(randomBytes(dataKeyLen))
	if err != nil {
		t.Fatal(err)
	}
	many := map[string]string{}
	for i := 0; i < 3*keysRoom; i++ { // more keys than sorted on the stack
		many[fmt.Sprintf("f%02d", i)] = strings.Repeat("值", i)
	}
	maps := []map[string]string{nil, {}, {"name": "张三"}, {"a": "x<y>&\"\n", "b": "bad\xffutf8"}, many}
	ad := recordAD("0190d5d4-8b1a-7c3e-9f00-000000000001")
	for _, m := range maps {
		want, err := marshalStrings(m)
		if err != nil {
			t.Fatal(err)
		}
		first, err := sealStrings(seal, m, ad)
		if err != nil {
			t.Fatal(err)
		}
		second, err := sealStrings(seal, m, ad)
		if err != nil {
			t.Fatal(err)
		}
		for _, sealed := range [][]byte{first, second} {
			if got, err := seal.open(sealed, ad); err != nil || !bytes.Equal(got, want) {
				t.Errorf("sealStrings(%q) opens to %s, %v; want %s", m, got, err, want)
			}
			if got, err := seal.openString(sealed, ad); err != nil || got != string(want) {
				t.Errorf("openString(sealStrings(%q)) = %s, %v; want %s", m, got, err, want)
			}
		}
		if bytes.Equal(first, second) {
			t.Errorf("sealing %q twice gave the same bytes (nonce reused?)", m)
		}
		if _, err := seal.openString(first, recordAD("another")); !errors.Is(err, ErrTampered) {
			t.Errorf("opened %q under another record's associated data: %v", m, err)
		}
		if got, err := stringsJSON(m); err != nil || got != string(want) {
			t.Errorf("stringsJSON(%q) = %s, %v; want %s", m, got, err, want)
		}
		bases := map[string][]string{"name": {"0000000000001.000000@dev"}, "x\xff": nil}
		want, err = marshalPayload(m, bases)
		if err != nil {
			t.Fatal(err)
		}
		sealed, err := sealPayload(seal, m, bases, ad)
		if got, oerr := seal.open(sealed, ad); err != nil || oerr != nil || !bytes.Equal(got, want) {
			t.Errorf("sealPayload(%q) opens to %s, %v %v; want %s", m, got, err, oerr, want)
		}
	}
}

// TestOpenStringRefusesDamage checks that the string variant of open fails
// as open does on short or altered data.
func TestOpenStringRefusesDamage(t *testing.T) {
	seal, err := newSealer(randomBytes(dataKeyLen))
	if err != nil {
		t.Fatal(err)
	}
	sealed := seal.seal([]byte(`{"name":"张三"}`), []byte("ad"))
	for _, bad := range [][]byte{nil, sealed[:10], append(bytes.Clone(sealed[:len(sealed)-1]), sealed[len(sealed)-1]^1)} {
		if got, err := seal.openString(bad, []byte("ad")); !errors.Is(err, ErrTampered) {
			t.Errorf("openString(%x) = %q, %v; want ErrTampered", bad, got, err)
		}
	}
}
