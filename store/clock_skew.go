package store

import (
	"fmt"
	"time"
)

// DefaultMaxClockAhead bounds how far ahead of the receiver's clock a
// change may be stamped. A change merges by its clock reading, so one
// stamped in the year 2200 (a wrong clock, or a hostile device) would win
// every later edit of its fields for ever, and every device that observed
// it would stamp its own edits after 2200 too. An hour covers clocks that
// are merely a little off, and time zones set wrong by whole hours show.
const DefaultMaxClockAhead = time.Hour

// SetClockOffset tells the store how far the county server's clock is
// ahead of this computer's (negative: behind), as the sync handshake
// measured it. Remote changes are then judged against the server's time, so
// a laptop whose clock is hours or years behind does not refuse every
// change, and one whose clock runs ahead does not accept changes from the
// future. It lasts as long as this handle.
func (s *Store) SetClockOffset(d time.Duration) { s.clockOffset.Store(int64(d)) }

// trustedNow is this computer's time corrected by the server's offset.
func (s *Store) trustedNow() time.Time {
	return s.now().Add(time.Duration(s.clockOffset.Load()))
}

// clockAhead reports how far ahead of the trusted time (beyond the bound)
// a remote reading lies; 0 when it is acceptable.
func (s *Store) clockAhead(h HLC) time.Duration {
	ahead := time.UnixMilli(h.Wall).Sub(s.trustedNow())
	if ahead <= s.maxAhead {
		return 0
	}
	return ahead
}

// checkAhead refuses a remote change stamped too far ahead: it is neither
// merged nor observed by the clock, and is reported with how far ahead it
// was, naming its device in its version.
func (s *Store) checkAhead(ch *Change) error {
	ahead := s.clockAhead(ch.HLC)
	if ahead == 0 {
		return nil
	}
	return &BadChangeError{Version: ch.Version().String(), EntityID: ch.EntityID, Ahead: ahead,
		Reason: fmt.Sprintf("stamped %s ahead of this computer's clock", ahead.Round(time.Minute))}
}

// observeRemote moves the clock past a reading of another device, unless
// the reading is too far ahead: one remote clock never drags this one
// beyond the bound.
func (s *Store) observeRemote(h HLC) {
	if s.clockAhead(h) == 0 {
		s.clock.Observe(h)
	}
}
