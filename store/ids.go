package store

import (
	"crypto/rand"
	"encoding/binary"
	"io"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Record ids are UUIDv7 made by RFC 9562 §6.2 "Method 2" (monotonic
// random): the 74 bits after the version and variant form a counter that
// starts at a random value and grows by a random step of 1 to 2^idStepBits
// for each new id. Ids a device creates in a burst (a ledger import of
// thousands) are therefore increasing and close together, and the sync wire
// sends each as a small delta from the one before instead of 74 random bits
// (sync/wire/ids.go) — about a third of a township's initial pull.
//
// A run lasts while ids keep coming less than idRunGap apart; after a pause
// the next id starts a fresh run at a new random counter, so ids typed one
// by one in the app are as random as before.
//
// What this gives up, and why it is acceptable:
//   - Guessing: knowing one id of a run, the next is one of 2^idStepBits
//     values. Record ids are not secrets here: every read and every pulled
//     change is checked against the signed-in user's township and scope,
//     never against knowledge of an id.
//   - Collisions across devices: two ids can only be equal if they carry the
//     same millisecond and the same counter. A run's start is uniform over
//     2^73 values (the top counter bit starts at zero, leaving 2^73 steps of
//     headroom, RFC 9562 §6.2 rollover guard) and its steps are independent
//     of other devices', so any one id of another device equals a given id
//     with probability at most 2^-73, as for purely random v7 ids. Even a
//     generous bound for a county — 10^7 ids, each sharing its millisecond
//     with 1,000 ids of other devices — is 10^10 pairs × 2^-73 ≈ 2^-40.
//   - Within one process ids are strictly increasing, so they never repeat;
//     two processes writing one database (the app and a command-line import)
//     each start runs at their own random values, as two devices do.
const (
	idStepBits = 24
	idRunGap   = time.Second
)

// recordIDs makes every record id of this process.
var recordIDs = newIDGenerator(time.Now, rand.Reader)

// newRecordID returns a fresh record id.
func newRecordID() string { return recordIDs.next().String() }

// idGenerator is a goroutine-safe monotonic UUIDv7 source.
type idGenerator struct {
	mu      sync.Mutex
	now     func() time.Time
	rand    io.Reader
	ms      int64  // timestamp of the last id
	hi, lo  uint64 // the 74-bit counter of the last id: 12 bits, then 62
	lastAt  time.Time
	started bool
}

func newIDGenerator(now func() time.Time, r io.Reader) *idGenerator {
	return &idGenerator{now: now, rand: r}
}

const (
	loBits = 62
	loMask = 1<<loBits - 1
	hiMax  = 1<<12 - 1
)

// next returns an id greater than every id this generator made before.
func (g *idGenerator) next() uuid.UUID {
	g.mu.Lock()
	defer g.mu.Unlock()
	t := g.now()
	ms := t.UnixMilli()
	switch {
	case !g.started || t.Sub(g.lastAt) >= idRunGap || t.Sub(g.lastAt) <= -idRunGap:
		// After a pause, or a clock set back by as much, a new run starts
		// at a random counter (stepped ids are guessable); after a set-back
		// one millisecond after the last id, so ids stay in order.
		g.seed(max(ms, g.ms+1))
	case !g.step():
		g.seed(g.ms + 1) // counter overflow: a new run one millisecond on
	default:
		g.ms = max(ms, g.ms) // a clock set back does not reorder ids
	}
	g.lastAt = t
	return g.uuid()
}

// seed starts a new run at a random counter with its top bit clear.
func (g *idGenerator) seed(ms int64) {
	var b [10]byte
	g.read(b[:])
	g.hi = uint64(binary.BigEndian.Uint16(b[:2])) & (hiMax >> 1)
	g.lo = binary.BigEndian.Uint64(b[2:]) & loMask
	g.ms, g.started = ms, true
}

// step adds a random 1..2^idStepBits to the counter; false on overflow.
func (g *idGenerator) step() bool {
	var b [4]byte
	g.read(b[:])
	inc := uint64(binary.BigEndian.Uint32(b[:]))&(1<<idStepBits-1) + 1
	lo, hi := g.lo+inc, g.hi
	if lo > loMask {
		lo, hi = lo&loMask, hi+1
	}
	if hi > hiMax {
		return false
	}
	g.hi, g.lo = hi, lo
	return true
}

func (g *idGenerator) read(b []byte) {
	if _, err := io.ReadFull(g.rand, b); err != nil {
		panic("record id: no randomness: " + err.Error()) // as uuid.Must(uuid.NewV7()) did
	}
}

// uuid lays out timestamp, version 7, counter high bits, variant 10, and
// counter low bits.
func (g *idGenerator) uuid() uuid.UUID {
	var u uuid.UUID
	binary.BigEndian.PutUint64(u[0:8], uint64(g.ms)<<16|0x7000|g.hi)
	binary.BigEndian.PutUint64(u[8:16], 1<<63|g.lo)
	return u
}
