package server

import (
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"strings"

	"rehabdesk/internal/seal"
	"rehabdesk/sync/wire"
)

// The server database holds every township's case files, so personal values
// are sealed (AES-256-GCM) with a key kept in a separate file (by default
// the database path + ".key", mode 0600): a copy or backup of the database
// alone shows no names or ID numbers. Ids, versions, townships and the
// reserved "_township"/"_archived" fields stay clear, because routing and
// merging read them. Associated data binds each value to its place, so
// values cannot be swapped between rows unnoticed.

// ErrKeyMismatch means the key file does not open the database's values.
var ErrKeyMismatch = errors.New("server key file does not match the database")

type sealer struct {
	a   *seal.AEAD // the AES-256-GCM sealing the store also uses
	key []byte     // the key file's bytes, from which exchange keys derive
}

// loadKey reads the key file, creating it (32 random bytes, mode 0600)
// when absent; an existing one readable by others is narrowed to 0600.
func loadKey(path string) (*sealer, error) {
	key, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		key, err = newKeyFile(path)
	} else if err == nil {
		err = narrowMode(path)
	}
	if err != nil {
		return nil, fmt.Errorf("server key: %w", err)
	}
	if len(key) != 32 {
		return nil, fmt.Errorf("server key %s: want 32 bytes, have %d", path, len(key))
	}
	a, err := seal.New(key)
	if err != nil {
		return nil, err
	}
	return &sealer{a: a, key: key}, nil
}

// exchangeKey derives the key sealing a device's USB exchange files from
// the key file, the device id and its current token hash: it needs no
// storage, cannot be rebuilt from county.db alone, and changes when the
// device enrolls again (files sealed for the old enrollment stop opening).
func (s *sealer) exchangeKey(device, tokenHashHex string) []byte {
	k, err := hkdf.Key(sha256.New, s.key, nil, "rehabdesk exchange key v1\x00"+device+"\x00"+tokenHashHex, wire.ExchangeKeyLen)
	if err != nil {
		panic("countyd: exchange key derivation: " + err.Error())
	}
	return k
}

// narrowMode makes a file readable by its owner only, if it was not.
func narrowMode(path string) error {
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm()&0o077 == 0 {
		return err
	}
	return os.Chmod(path, fi.Mode().Perm()&0o700)
}

// newKeyFile writes a new random key; O_EXCL keeps two servers starting at
// once from each writing its own.
func newKeyFile(path string) ([]byte, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return os.ReadFile(path)
	}
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(key); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	return key, f.Close()
}

func (s *sealer) seal(plain []byte, ad string) []byte { return s.a.Seal(plain, []byte(ad)) }

// open returns ErrKeyMismatch for any value that fails authentication:
// with the server's own database, the likely cause is the wrong key file.
func (s *sealer) open(sealed []byte, ad string) ([]byte, error) {
	plain, err := s.a.Open(sealed, []byte(ad))
	if err != nil {
		return nil, ErrKeyMismatch
	}
	return plain, nil
}

// clearField reports whether a field's value is stored unsealed.
func clearField(name string) bool { return strings.HasPrefix(name, "_") }

func changeAD(hlc, device string) string { return "change:" + hlc + "@" + device }

func fieldAD(entity, field string) string { return "field:" + entity + "\x00" + field }
