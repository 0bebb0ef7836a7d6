package store

import (
	"bytes"
	"crypto/rand"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
)

// fakeClock is a settable clock for the id generator.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

// counter74 is the 74-bit counter of an id, as two halves.
func counter74(u uuid.UUID) (hi, lo uint64) {
	hi = uint64(u[6]&0x0f)<<8 | uint64(u[7])
	for _, b := range u[8:16] {
		lo = lo<<8 | uint64(b)
	}
	return hi, lo & loMask
}

func TestRecordIDsAreVersion7WithTheirTime(t *testing.T) {
	before := time.Now().UnixMilli()
	s := newRecordID()
	u, err := uuid.Parse(s)
	if err != nil || u.String() != s {
		t.Fatalf("id %q does not parse as a canonical uuid: %v", s, err)
	}
	if u.Version() != 7 || u.Variant() != uuid.RFC4122 {
		t.Fatalf("id %s: version %d, variant %v", s, u.Version(), u.Variant())
	}
	if ms, _ := u.Time().UnixTime(); ms*1000 < before-1000 || ms*1000 > time.Now().UnixMilli()+1000 {
		t.Fatalf("id %s carries time %d s, want about %d ms", s, ms, before)
	}
}

func TestRecordIDsIncreaseWithinARunEvenWhenTheClockGoesBack(t *testing.T) {
	clock := &fakeClock{t: time.UnixMilli(1795955712727)}
	g := newIDGenerator(clock.now, rand.Reader)
	prev := g.next()
	for i := 0; i < 5000; i++ {
		clock.t = clock.t.Add(time.Duration(i%7-3) * 100 * time.Microsecond) // jitter both ways
		u := g.next()
		if bytes.Compare(u[:], prev[:]) <= 0 {
			t.Fatalf("id %d: %s not after %s", i, u, prev)
		}
		if u.Version() != 7 || u.Variant() != uuid.RFC4122 {
			t.Fatalf("id %s lost its version or variant", u)
		}
		if d := counterStep(prev, u); d < 1 || d > 1<<idStepBits {
			t.Fatalf("id %d: counter step %d within a run", i, d)
		}
		prev = u
	}
}

// counterStep is the counter difference of two ids of one run (same hi
// or one carry apart).
func counterStep(a, b uuid.UUID) int64 {
	ah, al := counter74(a)
	bh, bl := counter74(b)
	return int64(bh-ah)<<loBits + int64(bl) - int64(al)
}

func TestRecordIDsAreUniqueUnderConcurrency(t *testing.T) {
	const workers, each = 8, 2000
	out := make([][]string, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				out[w] = append(out[w], newRecordID())
			}
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, ids := range out {
		for i, id := range ids {
			if seen[id] {
				t.Fatalf("id %s made twice", id)
			}
			seen[id] = true
			if i > 0 && id <= ids[i-1] {
				t.Fatalf("ids of one goroutine out of order: %s after %s", id, ids[i-1])
			}
		}
	}
}

func TestRunsStartAtRandomCounters(t *testing.T) {
	clock := &fakeClock{t: time.UnixMilli(1795955712727)}
	a, b := newIDGenerator(clock.now, rand.Reader), newIDGenerator(clock.now, rand.Reader)
	ua, ub := a.next(), b.next()
	if !far(ua, ub) {
		t.Fatalf("two devices at the same millisecond start close together: %s, %s", ua, ub)
	}
	last := a.next()
	clock.t = clock.t.Add(idRunGap)
	fresh := a.next()
	if !far(last, fresh) {
		t.Fatalf("after a pause the run continued: %s then %s", last, fresh)
	}
	if hi, _ := counter74(fresh); hi>>11 != 0 {
		t.Fatalf("a run must start with the counter's top bit clear (headroom): %s", fresh)
	}
	clock.t = clock.t.Add(-time.Hour) // the clock is set back
	back := a.next()
	if !far(fresh, back) || bytes.Compare(back[:], fresh[:]) <= 0 {
		t.Fatalf("after the clock was set back: %s then %s, want a new run, still in order", fresh, back)
	}
}

// far reports whether two counters are further apart than 2^40 (a random
// restart is closer with probability about 2^-33).
func far(a, b uuid.UUID) bool {
	ah, al := counter74(a)
	bh, bl := counter74(b)
	return ah != bh || max(al, bl)-min(al, bl) > 1<<40
}

func TestCounterOverflowMovesToTheNextMillisecond(t *testing.T) {
	clock := &fakeClock{t: time.UnixMilli(1795955712727)}
	g := newIDGenerator(clock.now, rand.Reader)
	prev := g.next()
	g.hi, g.lo = hiMax, loMask // the largest counter: any step overflows
	u := g.next()
	if bytes.Compare(u[:], prev[:]) <= 0 || u.Version() != 7 {
		t.Fatalf("overflow: %s after %s", u, prev)
	}
	if ms, _ := u.Time().UnixTime(); g.ms != 1795955712728 || ms != 1795955712 {
		t.Fatalf("overflow moved the timestamp to %d", g.ms)
	}
}
