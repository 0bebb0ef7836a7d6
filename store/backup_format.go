package store

import (
	"bufio"
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/argon2"

	"rehabdesk/internal/i18n"
)

// Errors of reading a backup file. Each names what went wrong in words an
// officer can act on; the GUI and CLI translate them by key.
var (
	ErrBackupFormat    = i18n.NewError("security.error.backup_format", "not a RehabDesk backup, or made by a newer version")
	ErrBackupPassword  = i18n.NewError("security.error.backup_password", "wrong backup passphrase (or the backup header is damaged)")
	ErrBackupTruncated = i18n.NewError("security.error.backup_truncated", "backup is incomplete: the file was cut short")
	ErrBackupTampered  = i18n.NewError("security.error.backup_tampered", "backup failed its integrity check: the file is damaged or was edited")
)

// The backup file format, version 1:
//
//	magic    "RDBACKUP"
//	version  1 byte
//	kdf      argon2id time (uint32), memory KiB (uint32), threads (uint8)
//	salt     16 bytes
//	chunk    plaintext chunk size (uint32)
//	size     plaintext size (uint64)
//	check    AES-GCM tag of nothing under checkNonce: tells a wrong
//	         passphrase from a damaged file
//	chunks   AES-GCM of each chunk of the SQLite file
//
// All integers are big-endian. Every seal takes the header as associated
// data, so the size cannot be edited either. Chunk nonces are the chunk
// number and a final flag (the STREAM construction), so reordered, dropped
// or appended chunks fail; a file shorter than its header promises is told
// apart from an edited one. The key is derived from a fresh salt for every
// backup, so counter nonces never repeat under one key.
const (
	backupMagic     = "RDBACKUP"
	backupVersion   = 1
	backupHeaderLen = len(backupMagic) + 1 + 4 + 4 + 1 + 16 + 4 + 8
	gcmTagLen       = 16
)

// backupChunk is the plaintext size of a chunk: big enough that the tags
// cost nothing, small enough to keep memory flat. Tests make it small.
var backupChunk = 1 << 20

var checkNonce = bytes.Repeat([]byte{0xff}, 12)

// backupHeader is the clear start of a backup file.
type backupHeader struct {
	kdf   KDFParams
	salt  []byte
	chunk uint32
	size  uint64
}

func (h backupHeader) marshal() []byte {
	b := make([]byte, 0, backupHeaderLen)
	b = append(b, backupMagic...)
	b = append(b, backupVersion)
	b = binary.BigEndian.AppendUint32(b, h.kdf.Time)
	b = binary.BigEndian.AppendUint32(b, h.kdf.Memory)
	b = append(b, h.kdf.Threads)
	b = append(b, h.salt...)
	b = binary.BigEndian.AppendUint32(b, h.chunk)
	return binary.BigEndian.AppendUint64(b, h.size)
}

// chunks is the number of chunks; an empty file still has one.
func (h backupHeader) chunks() uint64 {
	return max(1, (h.size+uint64(h.chunk)-1)/uint64(h.chunk))
}

// sealedLen is the length of chunk n in the file.
func (h backupHeader) sealedLen(n uint64) int {
	return int(min(uint64(h.chunk), h.size-n*uint64(h.chunk))) + gcmTagLen
}

// parseBackupHeader checks the magic, the version and that the cost
// parameters are sane: a forged header must not make restore allocate
// gigabytes or loop for hours.
func parseBackupHeader(b []byte) (backupHeader, error) {
	if len(b) != backupHeaderLen || string(b[:8]) != backupMagic || b[8] != backupVersion {
		return backupHeader{}, ErrBackupFormat
	}
	h := backupHeader{kdf: KDFParams{Time: binary.BigEndian.Uint32(b[9:]), Memory: binary.BigEndian.Uint32(b[13:]),
		Threads: b[17]}, salt: b[18:34], chunk: binary.BigEndian.Uint32(b[34:]), size: binary.BigEndian.Uint64(b[38:])}
	k := h.kdf
	if k.Time == 0 || k.Time > 20 || k.Memory == 0 || k.Memory > 1<<20 || k.Threads == 0 || k.Threads > 16 ||
		h.chunk == 0 || h.chunk > 16<<20 || h.size > 1<<44 {
		return backupHeader{}, ErrBackupFormat
	}
	return h, nil
}

func backupAEAD(passphrase string, h backupHeader) (cipher.AEAD, error) {
	key := argon2.IDKey([]byte(passphrase), h.salt, h.kdf.Time, h.kdf.Memory, h.kdf.Threads, 32)
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func chunkNonce(n uint64, final bool) []byte {
	nonce := make([]byte, 12)
	binary.BigEndian.PutUint64(nonce, n)
	if final {
		nonce[11] = 1
	}
	return nonce
}

// encryptStream writes the header, the passphrase check and the sealed
// chunks of the size bytes of src to w, reporting progress after each chunk.
func encryptStream(ctx context.Context, w io.Writer, src io.Reader, size int64, passphrase string, kdf KDFParams, progress func(done, total int64)) error {
	h := backupHeader{kdf: kdf, salt: randomBytes(16), chunk: uint32(backupChunk), size: uint64(size)}
	aead, err := backupAEAD(passphrase, h)
	if err != nil {
		return err
	}
	ad := h.marshal()
	if _, err := w.Write(append(ad, aead.Seal(nil, checkNonce, nil, ad)...)); err != nil {
		return err
	}
	buf := make([]byte, h.chunk)
	var done int64
	for n := uint64(0); n < h.chunks(); n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		k := h.sealedLen(n) - gcmTagLen
		if _, err := io.ReadFull(src, buf[:k]); err != nil {
			return fmt.Errorf("read snapshot: %w", err)
		}
		if _, err := w.Write(aead.Seal(nil, chunkNonce(n, n == h.chunks()-1), buf[:k], ad)); err != nil {
			return err
		}
		done += int64(k)
		if progress != nil {
			progress(done, size)
		}
	}
	return nil
}

// decryptStream reads a backup from r and writes the plaintext to w. It
// returns only after the final chunk authenticated: a file that stops early
// is ErrBackupTruncated, anything edited or appended is ErrBackupTampered.
func decryptStream(ctx context.Context, r io.Reader, w io.Writer, passphrase string) error {
	br := bufio.NewReaderSize(r, 1<<16)
	h, aead, ad, err := openBackupHeader(br, passphrase)
	if err != nil {
		return err
	}
	buf := make([]byte, int(h.chunk)+gcmTagLen)
	for n := uint64(0); n < h.chunks(); n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		sealed := buf[:h.sealedLen(n)]
		if _, err := io.ReadFull(br, sealed); errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return ErrBackupTruncated
		} else if err != nil {
			return err
		}
		plain, err := aead.Open(nil, chunkNonce(n, n == h.chunks()-1), sealed, ad)
		if err != nil {
			return fmt.Errorf("chunk %d: %w", n, ErrBackupTampered)
		}
		if _, err := w.Write(plain); err != nil {
			return err
		}
	}
	if _, err := br.ReadByte(); err != io.EOF {
		return fmt.Errorf("data after the last chunk: %w", ErrBackupTampered)
	}
	return nil
}

// openBackupHeader reads and checks the header and the passphrase check.
func openBackupHeader(br *bufio.Reader, passphrase string) (backupHeader, cipher.AEAD, []byte, error) {
	ad := make([]byte, backupHeaderLen)
	if _, err := io.ReadFull(br, ad); err != nil {
		return backupHeader{}, nil, nil, ErrBackupFormat
	}
	h, err := parseBackupHeader(ad)
	if err != nil {
		return h, nil, nil, err
	}
	aead, err := backupAEAD(passphrase, h)
	if err != nil {
		return h, nil, nil, err
	}
	check := make([]byte, gcmTagLen)
	if _, err := io.ReadFull(br, check); err != nil {
		return h, nil, nil, ErrBackupTruncated
	}
	if _, err := aead.Open(nil, checkNonce, check, ad); err != nil {
		return h, nil, nil, ErrBackupPassword
	}
	return h, aead, ad, nil
}
