package store

import (
	"bufio"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"sync"
	"sync/atomic"

	"golang.org/x/crypto/argon2"
)

// ErrTampered means a sealed value failed authentication: the file was
// damaged or edited outside RehabDesk.
var ErrTampered = errors.New("encrypted data failed its integrity check")

// KDFParams are the argon2id cost parameters of one account's key slot.
type KDFParams struct {
	Time    uint32
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultKDF is the cost used for new passwords: about a quarter second on a
// modest laptop, which is felt once per unlock and slows guessing a lot.
var DefaultKDF = KDFParams{Time: 2, Memory: 64 * 1024, Threads: 2}

const dataKeyLen = 32

// sealer encrypts and authenticates values with the database's data key.
// Associated data binds each ciphertext to its place (record id, field) so
// that values cannot be swapped between rows unnoticed.
type sealer struct {
	dataKey []byte // kept to wrap it for new accounts while unlocked
	aead    cipher.AEAD
	macKey  []byte
	nonceMu sync.Mutex
	nonces  *bufio.Reader
	macs    sync.Pool // of hmac hashes keyed with macKey, see naturalKey
}

func newSealer(dataKey []byte) (*sealer, error) {
	block, err := aes.NewCipher(dataKey)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, dataKey)
	mac.Write([]byte("rehabdesk natural key v1"))
	return &sealer{dataKey: dataKey, aead: aead, macKey: mac.Sum(nil), nonces: bufio.NewReaderSize(rand.Reader, 4096)}, nil
}

// seal returns nonce || ciphertext.
func (s *sealer) seal(plain, ad []byte) []byte {
	out := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	s.nonceMu.Lock()
	_, err := io.ReadFull(s.nonces, out)
	s.nonceMu.Unlock()
	if err != nil {
		panic("store: system random source failed: " + err.Error())
	}
	return s.aead.Seal(out, out, plain, ad)
}

// sealBuf returns an empty buffer to append n bytes of plain text to for
// sealInPlace, with room for the nonce before it and the tag after: a
// merge then allocates once per sealed value instead of twice.
func (s *sealer) sealBuf(n int) []byte {
	return make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+n+s.aead.Overhead())
}

// sealInPlace seals the plain text appended to a sealBuf buffer, over it,
// and returns nonce || ciphertext as seal does. buf must not be used after.
func (s *sealer) sealInPlace(buf, ad []byte) []byte {
	n := s.aead.NonceSize()
	s.nonceMu.Lock()
	_, err := io.ReadFull(s.nonces, buf[:n])
	s.nonceMu.Unlock()
	if err != nil {
		panic("store: system random source failed: " + err.Error())
	}
	// The ciphertext exactly overlaps the plain text, as cipher.AEAD allows.
	return s.aead.Seal(buf[:n], buf[:n], buf[n:], ad)
}

// openString is open for plain text read as a string: it decrypts into a
// buffer that becomes the string, instead of copying the plain text again.
func (s *sealer) openString(sealed, ad []byte) (string, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n+s.aead.Overhead() {
		return "", ErrTampered
	}
	plain, err := s.aead.Open(make([]byte, 0, len(sealed)-n-s.aead.Overhead()), sealed[:n], sealed[n:], ad)
	if err != nil {
		return "", ErrTampered
	}
	return ownedString(plain), nil
}

func (s *sealer) open(sealed, ad []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n+s.aead.Overhead() {
		return nil, ErrTampered
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], ad)
	if err != nil {
		return nil, ErrTampered
	}
	return plain, nil
}

// recordKey is the natural key stored with a record: a person's ID number,
// hashed; "" for every other kind.
func (s *sealer) recordKey(r *Record) string {
	if r.Kind != KindPerson {
		return ""
	}
	return s.naturalKey(KindPerson, r.Fields["id_number"])
}

// naturalKey is a keyed hash of a unique business key (an ID number): it lets
// SQLite find duplicates without storing the number in clear.
func (s *sealer) naturalKey(kind Kind, value string) string {
	if value == "" {
		return ""
	}
	// Keying an HMAC hashes two blocks and allocates: a bulk import asks
	// for two keys per person, so keyed hashes are reused.
	mac, _ := s.macs.Get().(hash.Hash)
	if mac == nil {
		mac = hmac.New(sha256.New, s.macKey)
	}
	mac.Reset()
	mac.Write([]byte(kind))
	mac.Write([]byte{0})
	mac.Write([]byte(value))
	var sum [sha256.Size]byte
	key := hex.EncodeToString(mac.Sum(sum[:0])[:16])
	s.macs.Put(mac)
	return key
}

// wrapKey encrypts the data key under a key derived from a password.
func wrapKey(dataKey []byte, password string, salt []byte, p KDFParams) ([]byte, error) {
	aead, err := kekAEAD(password, salt, p)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return aead.Seal(nonce, nonce, dataKey, []byte("rehabdesk data key v1")), nil
}

// unwrapKey recovers the data key; a wrong password fails authentication.
func unwrapKey(wrapped []byte, password string, salt []byte, p KDFParams) ([]byte, error) {
	aead, err := kekAEAD(password, salt, p)
	if err != nil {
		return nil, err
	}
	n := aead.NonceSize()
	if len(wrapped) < n {
		return nil, ErrTampered
	}
	key, err := aead.Open(nil, wrapped[:n], wrapped[n:], []byte("rehabdesk data key v1"))
	if err != nil {
		return nil, ErrBadPassword
	}
	return key, nil
}

// kdfWork sums the cost (passes × KiB) of every password key derivation,
// so tests can check that refusals spend the same work as any attempt.
var kdfWork atomic.Int64

func kekAEAD(password string, salt []byte, p KDFParams) (cipher.AEAD, error) {
	if p.Time == 0 || p.Memory == 0 || p.Threads == 0 {
		return nil, fmt.Errorf("invalid key derivation parameters %+v", p)
	}
	kdfWork.Add(int64(p.Time) * int64(p.Memory))
	kek := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, 32)
	block, err := aes.NewCipher(kek)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("store: system random source failed: " + err.Error())
	}
	return b
}
