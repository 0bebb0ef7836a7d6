package wire

import (
	"encoding/base64"
	"encoding/binary"
	"errors"

	"github.com/google/uuid"
)

// Record ids are UUIDv7: a 48-bit millisecond timestamp, then 74 bits that
// a device fills by RFC 9562 "monotonic random" (store/ids.go): a counter
// that starts at a random value and grows by a random step of up to 2^24
// per id. Ids a device creates in a burst — an import — are increasing and
// close together, and a pull sends changes in the order they were made, so
// each id is sent relative to the one before it, in three columns:
//
//	et  timestamp minus the previous id's
//	es  the counter step from the previous id, for a version-7 id with
//	    0 < |step| < 2^maxStepBits; 0: the id's 10 bytes after the
//	    timestamp are the next 10 of er
//	er  those bytes of the other ids, base64
//
// A burst's id costs about 3.5 bytes gzipped (24 random bits as decimal
// digits) instead of 74 random bits; random ids of older databases and
// ids of other runs travel whole, so any canonical UUID is carried exactly.
// Steps are JSON numbers, not packed bytes: base64 would hide the varints'
// predictable bits from gzip (4.7 bytes an id measured, against 3.5).
type packedIDs struct {
	T []int64 `json:"et,omitempty"`
	S []int64 `json:"es,omitempty"`
	R string  `json:"er,omitempty"`
}

const maxStepBits = 56

// counter is the 74 bits of an id after its timestamp, leaving out the
// version and variant bits: 12 bits, then 62.
type counter struct{ hi, lo int64 }

const (
	loBits = 62
	loMask = 1<<loBits - 1
	hiMax  = 1<<12 - 1
)

func counterOf(u uuid.UUID) counter {
	return counter{
		hi: int64(binary.BigEndian.Uint16(u[6:8]) & hiMax),
		lo: int64(binary.BigEndian.Uint64(u[8:16]) & loMask),
	}
}

// stepTo is b minus a when it is small enough to send as a step.
func (a counter) stepTo(b counter) (int64, bool) {
	var d int64
	switch b.hi - a.hi {
	case 0:
		d = b.lo - a.lo
	case 1:
		d = b.lo - a.lo + 1<<loBits
	case -1:
		d = b.lo - a.lo - 1<<loBits
	default:
		return 0, false
	}
	return d, d > -(1<<maxStepBits) && d < 1<<maxStepBits
}

// plus is a + d, false when it leaves the 74 bits.
func (a counter) plus(d int64) (counter, bool) {
	c := counter{hi: a.hi, lo: a.lo + d}
	switch {
	case c.lo > loMask:
		c.hi, c.lo = c.hi+1, c.lo-1<<loBits
	case c.lo < 0:
		c.hi, c.lo = c.hi-1, c.lo+1<<loBits
	}
	return c, c.hi >= 0 && c.hi <= hiMax
}

func isV7(u uuid.UUID) bool { return u[6]>>4 == 7 && u[8]>>6 == 2 }

func tsOf(u uuid.UUID) int64 { return int64(binary.BigEndian.Uint64(u[:8]) >> 16) }

// v7 builds a version-7, variant-10 id.
func v7(ts int64, c counter) uuid.UUID {
	var u uuid.UUID
	binary.BigEndian.PutUint64(u[0:8], uint64(ts)<<16|0x7000|uint64(c.hi))
	binary.BigEndian.PutUint64(u[8:16], 1<<63|uint64(c.lo))
	return u
}

// packIDs packs ids when every one is a canonical UUID.
func packIDs(ids []string) (packedIDs, bool) {
	p := packedIDs{T: make([]int64, 0, len(ids)), S: make([]int64, 0, len(ids))}
	var raw []byte
	var prev uuid.UUID
	for _, s := range ids {
		u, err := uuid.Parse(s)
		if err != nil || u.String() != s {
			return packedIDs{}, false
		}
		p.T = append(p.T, tsOf(u)-tsOf(prev))
		d, ok := counterOf(prev).stepTo(counterOf(u))
		if !ok || d == 0 || !isV7(u) {
			d, raw = 0, append(raw, u[6:]...)
		}
		p.S = append(p.S, d)
		prev = u
	}
	p.R = base64.RawStdEncoding.EncodeToString(raw)
	return p, true
}

// unpack reverses packIDs for n ids.
func (p *packedIDs) unpack(n int) ([]string, error) {
	raw, err := base64.RawStdEncoding.DecodeString(p.R)
	if err != nil {
		return nil, err
	}
	if len(p.T) != n || len(p.S) != n {
		return nil, errors.New("packed id columns differ")
	}
	out := make([]string, n)
	var prev uuid.UUID
	for i := range out {
		u, rest, err := unpackID(p.T[i], p.S[i], raw, prev)
		if err != nil {
			return nil, err
		}
		out[i], raw, prev = u.String(), rest, u
	}
	if len(raw) != 0 {
		return nil, errors.New("packed ids too long")
	}
	return out, nil
}

// unpackID rebuilds one id from the previous one, taking its bytes from
// raw when it was sent whole.
func unpackID(dt, step int64, raw []byte, prev uuid.UUID) (uuid.UUID, []byte, error) {
	ts := tsOf(prev) + dt
	switch {
	case dt <= -1<<48 || dt >= 1<<48 || ts < 0 || ts >= 1<<48:
		return uuid.UUID{}, nil, errors.New("packed id timestamp out of range")
	case step == 0 && len(raw) < 10:
		return uuid.UUID{}, nil, errors.New("packed ids cut short")
	case step == 0:
		var u uuid.UUID
		binary.BigEndian.PutUint64(u[:8], uint64(ts)<<16)
		copy(u[6:], raw[:10])
		return u, raw[10:], nil
	case step <= -1<<maxStepBits || step >= 1<<maxStepBits:
		return uuid.UUID{}, nil, errors.New("packed id step out of range")
	}
	c, ok := counterOf(prev).plus(step)
	if !ok {
		return uuid.UUID{}, nil, errors.New("packed id counter out of range")
	}
	return v7(ts, c), raw, nil
}
