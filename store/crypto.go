package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"sync"
	"sync/atomic"

	"golang.org/x/crypto/argon2"

	"rehabdesk/internal/seal"
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
	a       *seal.AEAD
	macKey  []byte
	macs    sync.Pool // of hmac hashes keyed with macKey, see naturalKey
}

func newSealer(dataKey []byte) (*sealer, error) {
	a, err := seal.New(dataKey)
	if err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, dataKey)
	mac.Write([]byte("rehabdesk natural key v1"))
	return &sealer{dataKey: dataKey, a: a, macKey: mac.Sum(nil)}, nil
}

// seal returns nonce || ciphertext (internal/seal).
func (s *sealer) seal(plain, ad []byte) []byte { return s.a.Seal(plain, ad) }

// sealBuf returns an empty buffer to append n bytes of plain text to for
// sealInPlace: a merge then allocates once per sealed value, not twice.
func (s *sealer) sealBuf(n int) []byte { return s.a.Buf(n) }

// sealInPlace seals the plain text appended to a sealBuf buffer, over it.
func (s *sealer) sealInPlace(buf, ad []byte) []byte { return s.a.SealInPlace(buf, ad) }

// openString is open for plain text read as a string, without a copy.
func (s *sealer) openString(sealed, ad []byte) (string, error) {
	plain, err := s.a.OpenString(sealed, ad)
	if err != nil {
		return "", ErrTampered
	}
	return plain, nil
}

func (s *sealer) open(sealed, ad []byte) ([]byte, error) {
	plain, err := s.a.Open(sealed, ad)
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
