package wire

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"
)

// An exchange file travels on a USB stick that may be lost, so its whole
// message is encrypted and authenticated (XChaCha20-Poly1305) under the
// device's exchange key: a random-looking key the server derives from its
// key file and hands to the device at enrollment. county.db alone cannot
// rebuild it, so a copy of the database can neither read nor forge files.
//
// Layout: "RDX1" | direction | len(device) | device | 24-byte nonce | box.
// Everything before the nonce is authenticated as associated data; the
// device id stays clear only so the server can pick the key. Nothing inside
// the box (version, type, content) is read before the box opens.
const (
	fileMagic = "RDX1"
	// MaxDeviceID bounds the device id in a file header (and at enrollment).
	MaxDeviceID = 64
)

// FileDirection tells a request file from a reply, so neither can be
// passed off as the other under the same key.
type FileDirection byte

// Directions of exchange files.
const (
	FileToServer FileDirection = 'Q'
	FileToDevice FileDirection = 'R'
)

// ExchangeKeyLen is the size of a device's exchange key.
const ExchangeKeyLen = chacha20poly1305.KeySize

// ErrBadFile is every fault of an exchange file — damaged, truncated,
// empty, sealed for another device, a reply given where a request was
// expected, or the unsealed layout of older versions: none of them is
// opened, and each gets one plain message.
var ErrBadFile = errors.New("exchange file is damaged, of an old format, or not made for this device")

// SealFile encrypts an encoded message for the given direction and device.
func SealFile(key []byte, dir FileDirection, device string, msg []byte) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, fmt.Errorf("exchange key: %w", err)
	}
	if device == "" || len(device) > MaxDeviceID {
		return nil, fmt.Errorf("exchange file: device id %q", device)
	}
	head := fileHeader(dir, device)
	out := make([]byte, len(head), len(head)+aead.NonceSize()+len(msg)+aead.Overhead())
	copy(out, head)
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	out = append(out, nonce...)
	return aead.Seal(out, nonce, msg, head), nil
}

func fileHeader(dir FileDirection, device string) []byte {
	head := append([]byte(fileMagic), byte(dir), byte(len(device)))
	return append(head, device...)
}

// FileDevice reads which device a file claims to be sealed for. The claim
// is not yet authenticated: it only chooses the key that OpenFile checks.
func FileDevice(data []byte) (string, error) {
	_, device, err := splitFile(data)
	return device, err
}

// OpenFile checks the seal and returns the message inside. Any fault gives
// ErrBadFile.
func OpenFile(key []byte, dir FileDirection, data []byte) ([]byte, error) {
	box, device, err := splitFile(data)
	if err != nil {
		return nil, err
	}
	aead, err := chacha20poly1305.NewX(key)
	if err != nil || len(box) < aead.NonceSize()+aead.Overhead() {
		return nil, ErrBadFile
	}
	head := fileHeader(dir, device)
	if !bytes.HasPrefix(data, head) {
		return nil, ErrBadFile
	}
	n := aead.NonceSize()
	msg, err := aead.Open(nil, box[:n], box[n:], head)
	if err != nil {
		return nil, ErrBadFile
	}
	return msg, nil
}

// splitFile separates the header's device id from the nonce and box.
func splitFile(data []byte) (box []byte, device string, err error) {
	if len(data) > MaxFile || len(data) < len(fileMagic)+2 || string(data[:len(fileMagic)]) != fileMagic {
		return nil, "", ErrBadFile
	}
	n := int(data[len(fileMagic)+1])
	start := len(fileMagic) + 2
	if n == 0 || n > MaxDeviceID || len(data) < start+n {
		return nil, "", ErrBadFile
	}
	return data[start+n:], string(data[start : start+n]), nil
}
