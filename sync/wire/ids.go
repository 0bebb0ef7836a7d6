package wire

import (
	"encoding/base64"
	"encoding/binary"
	"errors"

	"github.com/google/uuid"
)

// Record ids are UUIDv7: a 48-bit millisecond timestamp, then 74 mostly
// random bits. As text, gzip spends about 14.5 bytes on one; packed — the
// timestamp as a varint delta from the previous id, the other 10 bytes raw —
// about 11. Ids are a third of an initial pull, so this is worth its code.

// packIDs packs ids when every one is a canonical UUID, else returns "".
func packIDs(ids []string) string {
	buf := make([]byte, 0, len(ids)*12)
	var prev int64
	for _, s := range ids {
		u, err := uuid.Parse(s)
		if err != nil || u.String() != s {
			return ""
		}
		ts := int64(binary.BigEndian.Uint64(u[:8]) >> 16)
		buf = binary.AppendVarint(buf, ts-prev)
		buf = append(buf, u[6:]...)
		prev = ts
	}
	return base64.RawStdEncoding.EncodeToString(buf)
}

// unpackIDs reverses packIDs for n ids.
func unpackIDs(packed string, n int) ([]string, error) {
	buf, err := base64.RawStdEncoding.DecodeString(packed)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, n)
	var prev int64
	for len(out) < n {
		d, k := binary.Varint(buf)
		if k <= 0 || len(buf) < k+10 {
			return nil, errors.New("packed ids cut short")
		}
		prev += d
		var u uuid.UUID
		binary.BigEndian.PutUint64(u[:8], uint64(prev)<<16)
		copy(u[6:], buf[k:k+10])
		out = append(out, u.String())
		buf = buf[k+10:]
	}
	if len(buf) != 0 {
		return nil, errors.New("packed ids too long")
	}
	return out, nil
}
