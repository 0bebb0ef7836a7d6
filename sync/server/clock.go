package server

import (
	"time"

	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// checkClock refuses a page holding a change stamped further ahead of the
// server's clock than the bound. Changes merge by their clock reading, so
// one stamped in the year 2200 would win every later edit of its fields
// for ever. The whole page is refused rather than its future changes
// rejected for good: a laptop whose clock ran fast keeps them pending, is
// told so (wire.CodeClockAhead), and sends them once the stamps are no
// longer ahead. The log names the device for the county office.
func (s *Server) checkClock(d *device, changes []*store.Change) error {
	now := s.now()
	var worst time.Duration
	for _, c := range changes {
		worst = max(worst, time.UnixMilli(c.HLC.Wall).Sub(now))
	}
	if worst <= s.maxAhead {
		return nil
	}
	s.log.Warn("push refused: device clock ahead", "device", d.ID, "township", d.Township, "ahead", worst.Round(time.Second).String())
	return &wire.Error{Code: wire.CodeClockAhead, Detail: "a change is stamped " + worst.Round(time.Minute).String() + " ahead of the server clock"}
}
