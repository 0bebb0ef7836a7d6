package seal

import (
	"bytes"
	"errors"
	"testing"
)

func newAEAD(t *testing.T) *AEAD {
	t.Helper()
	a, err := New(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// A value opens only with the key and the place it was sealed at, and any
// change to it is caught.
func TestSealedValueOpensOnlyAtItsPlace(t *testing.T) {
	a := newAEAD(t)
	plain, ad := []byte("张三 520102199001011234"), []byte("field:p1\x00name")
	sealed := a.Seal(plain, ad)
	if got, err := a.Open(sealed, ad); err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("open: %q, %v", got, err)
	}
	if got, err := a.OpenString(sealed, ad); err != nil || got != string(plain) {
		t.Fatalf("open string: %q, %v", got, err)
	}
	other, err := New(bytes.Repeat([]byte{8}, 32))
	if err != nil {
		t.Fatal(err)
	}
	flipped := append([]byte(nil), sealed...)
	flipped[len(flipped)-1] ^= 1
	for name, try := range map[string]func() ([]byte, error){
		"other place": func() ([]byte, error) { return a.Open(sealed, []byte("field:p2\x00name")) },
		"other key":   func() ([]byte, error) { return other.Open(sealed, ad) },
		"one bit":     func() ([]byte, error) { return a.Open(flipped, ad) },
		"truncated":   func() ([]byte, error) { return a.Open(sealed[:10], ad) },
	} {
		if got, err := try(); !errors.Is(err, ErrOpen) {
			t.Errorf("%s: %q, %v; want ErrOpen", name, got, err)
		}
	}
}

// SealInPlace gives what Seal gives, and two seals of one value differ.
func TestSealInPlaceAndFreshNonces(t *testing.T) {
	a := newAEAD(t)
	plain, ad := []byte("visit notes"), []byte("change:1@d")
	buf := append(a.Buf(len(plain)), plain...)
	sealed := a.SealInPlace(buf, ad)
	if got, err := a.Open(sealed, ad); err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("in place: %q, %v", got, err)
	}
	if bytes.Equal(a.Seal(plain, ad), a.Seal(plain, ad)) {
		t.Error("two seals of one value are equal: nonce reused")
	}
	if got, err := a.OpenString(a.Seal(nil, ad), ad); err != nil || got != "" {
		t.Errorf("empty value: %q, %v", got, err)
	}
}
