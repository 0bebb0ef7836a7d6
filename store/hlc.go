package store

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// HLC is a hybrid logical clock reading: wall milliseconds plus a counter that
// orders events within (or after a backwards jump of) the same millisecond.
// Readings order edits across devices: a device that has seen a change always
// stamps its later edits after it, whatever its own clock says.
type HLC struct {
	Wall    int64  // unix milliseconds
	Counter uint32 // tie-breaker within one Wall value
}

// hlcFormat keeps encoded readings fixed-width so that string order equals
// clock order in SQLite and in Go.
const hlcFormat = "%013d.%06d"

const maxCounter = 999999

// String encodes the reading so that lexical order is clock order.
func (h HLC) String() string {
	if h.Wall < 0 || h.Wall > 9999999999999 || h.Counter > maxCounter {
		return fmt.Sprintf(hlcFormat, h.Wall, h.Counter)
	}
	// Digit by digit: merging formats millions of readings, and
	// fmt.Sprintf was a tenth of its time.
	var b [20]byte
	w, c := h.Wall, h.Counter
	for i := 12; i >= 0; i-- {
		b[i] = byte('0' + w%10)
		w /= 10
	}
	b[13] = '.'
	for i := 19; i >= 14; i-- {
		b[i] = byte('0' + c%10)
		c /= 10
	}
	return string(b[:])
}

// IsZero reports whether h was never set.
func (h HLC) IsZero() bool { return h.Wall == 0 && h.Counter == 0 }

// Less orders two readings.
func (h HLC) Less(o HLC) bool {
	return h.Wall < o.Wall || (h.Wall == o.Wall && h.Counter < o.Counter)
}

// Time is the wall-clock part as a time.
func (h HLC) Time() time.Time { return time.UnixMilli(h.Wall) }

// ParseHLC decodes String's output.
func ParseHLC(s string) (HLC, error) {
	wall, counter, ok := strings.Cut(s, ".")
	w, err1 := strconv.ParseInt(wall, 10, 64)
	c, err2 := strconv.ParseUint(counter, 10, 32)
	if !ok || err1 != nil || err2 != nil || len(wall) != 13 || len(counter) != 6 {
		return HLC{}, fmt.Errorf("invalid clock reading %q", s)
	}
	return HLC{Wall: w, Counter: uint32(c)}, nil
}

// Version names one value of one field: the clock reading of the change that
// wrote it and the device that wrote it. Versions are totally ordered (clock,
// then device id) so that every replica picks the same winner.
type Version struct {
	HLC    HLC
	Device string
}

// String encodes a version as "hlc@device"; lexical order is version order.
func (v Version) String() string {
	if v.HLC.IsZero() {
		return ""
	}
	return v.HLC.String() + "@" + v.Device
}

// Less orders versions: clock first, device id breaks ties.
func (v Version) Less(o Version) bool {
	if v.HLC != o.HLC {
		return v.HLC.Less(o.HLC)
	}
	return v.Device < o.Device
}

// ParseVersion decodes Version.String; "" is the zero version.
func ParseVersion(s string) (Version, error) {
	if s == "" {
		return Version{}, nil
	}
	h, dev, ok := strings.Cut(s, "@")
	if !ok || dev == "" {
		return Version{}, fmt.Errorf("invalid version %q", s)
	}
	hlc, err := ParseHLC(h)
	if err != nil {
		return Version{}, err
	}
	return Version{HLC: hlc, Device: dev}, nil
}

// Clock issues monotonic HLC readings. It never goes backwards, even when the
// system clock does, and it moves forward past every reading it observes from
// other devices. The last reading is persisted with each write so that a
// restart with a wrong clock still continues after it.
type Clock struct {
	mu   sync.Mutex
	last HLC
	now  func() time.Time
}

// NewClock starts a clock after last (the persisted reading).
func NewClock(last HLC, now func() time.Time) *Clock {
	if now == nil {
		now = time.Now
	}
	return &Clock{last: last, now: now}
}

// Now returns a reading strictly after every earlier one.
func (c *Clock) Now() HLC {
	c.mu.Lock()
	defer c.mu.Unlock()
	phys := c.now().UnixMilli()
	switch {
	case phys > c.last.Wall:
		c.last = HLC{Wall: phys}
	case c.last.Counter >= maxCounter:
		// The counter is fixed-width; borrow the next millisecond instead.
		c.last = HLC{Wall: c.last.Wall + 1}
	default:
		c.last.Counter++
	}
	return c.last
}

// Observe moves the clock past a reading seen from another device.
func (c *Clock) Observe(h HLC) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.last.Less(h) {
		c.last = h
	}
}

// Last is the latest reading issued or observed.
func (c *Clock) Last() HLC {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}
