// Package seal encrypts and authenticates values with AES-256-GCM, for the
// township store (under its data key) and the county server (under its key
// file). A sealed value is nonce || ciphertext || tag; the associated data
// names the value's place (a record and field, a change), so that values
// cannot be swapped between rows unnoticed. Each caller turns ErrOpen into
// its own error: a damaged database for the store, the wrong key file for
// the server.
package seal

import (
	"bufio"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"io"
	"sync"
	"unsafe"
)

// ErrOpen means a sealed value failed authentication: damaged, edited, or
// sealed under another key or at another place.
var ErrOpen = errors.New("sealed value failed authentication")

// AEAD seals and opens values under one key. It is safe for concurrent use.
type AEAD struct {
	aead    cipher.AEAD
	nonceMu sync.Mutex
	nonces  *bufio.Reader // random nonces read 4 KB at a time, not 12 bytes per call
}

// New returns an AEAD for a 16, 24 or 32-byte key (32 for AES-256).
func New(key []byte) (*AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &AEAD{aead: aead, nonces: bufio.NewReaderSize(rand.Reader, 4096)}, nil
}

// Seal returns nonce || ciphertext of plain, bound to ad.
func (a *AEAD) Seal(plain, ad []byte) []byte {
	out := a.Buf(len(plain))
	a.nonce(out)
	return a.aead.Seal(out, out, plain, ad)
}

// Buf returns an empty buffer to append n bytes of plain text to for
// SealInPlace, with room for the nonce before it and the tag after: a
// caller then allocates once per sealed value instead of twice.
func (a *AEAD) Buf(n int) []byte {
	return make([]byte, a.aead.NonceSize(), a.aead.NonceSize()+n+a.aead.Overhead())
}

// SealInPlace seals the plain text appended to a Buf buffer, over it, and
// returns nonce || ciphertext as Seal does. buf must not be used after.
func (a *AEAD) SealInPlace(buf, ad []byte) []byte {
	n := a.nonce(buf)
	// The ciphertext exactly overlaps the plain text, as cipher.AEAD allows.
	return a.aead.Seal(buf[:n], buf[:n], buf[n:], ad)
}

// nonce fills the start of buf with a random nonce and returns its length.
func (a *AEAD) nonce(buf []byte) int {
	n := a.aead.NonceSize()
	a.nonceMu.Lock()
	_, err := io.ReadFull(a.nonces, buf[:n])
	a.nonceMu.Unlock()
	if err != nil {
		panic("seal: system random source failed: " + err.Error())
	}
	return n
}

// NonceSize is the length of the nonce that starts every sealed value (and
// every Buf).
func (a *AEAD) NonceSize() int { return a.aead.NonceSize() }

// Open returns the plain text of a sealed value, or ErrOpen.
func (a *AEAD) Open(sealed, ad []byte) ([]byte, error) {
	return a.openInto(nil, sealed, ad)
}

// OpenString is Open for plain text read as a string: it decrypts into a
// buffer that becomes the string, instead of copying the plain text again.
func (a *AEAD) OpenString(sealed, ad []byte) (string, error) {
	n := len(sealed) - a.aead.NonceSize() - a.aead.Overhead()
	plain, err := a.openInto(make([]byte, 0, max(n, 0)), sealed, ad)
	if err != nil {
		return "", err
	}
	return unsafe.String(unsafe.SliceData(plain), len(plain)), nil
}

func (a *AEAD) openInto(dst, sealed, ad []byte) ([]byte, error) {
	n := a.aead.NonceSize()
	if len(sealed) < n+a.aead.Overhead() {
		return nil, ErrOpen
	}
	plain, err := a.aead.Open(dst, sealed[:n], sealed[n:], ad)
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}
