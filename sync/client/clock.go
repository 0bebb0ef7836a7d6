package client

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"time"

	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// keySkewed is the sync_state key of the devices whose changes this device
// refused for being stamped too far ahead (see SkewedDevice).
const keySkewed = "skewed_devices"

// OwnClockError stops a sync before anything is sent: this computer's
// clock is ahead of the county server's by more than the bound, so every
// change it stamps would be refused (and, were it accepted, would win
// every later edit). Nothing is lost: the changes wait on this device.
type OwnClockError struct{ Ahead time.Duration }

func (e *OwnClockError) Error() string {
	return "this computer's clock is " + roughly(e.Ahead) + " ahead of the county server's; correct it, then sync again"
}

// MessageKey names the translation, with how far ahead.
func (e *OwnClockError) MessageKey() (string, []any) {
	return "sync.error.own_clock_ahead", []any{roughly(e.Ahead)}
}

// roughly rounds a clock difference to what a person would say.
func roughly(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return (d / (24 * time.Hour) * 24 * time.Hour).String()
	case d >= time.Hour:
		return d.Round(time.Hour).String()
	}
	return d.Round(time.Minute).String()
}

// SkewedDevice is a device whose changes this device refused because they
// were stamped too far ahead of the county server's time: its clock is
// wrong (or it is hostile), and the officer should have it checked.
type SkewedDevice struct {
	Device  string        `json:"device"`
	Ahead   time.Duration `json:"ahead"` // the furthest ahead seen
	Refused int           `json:"refused"`
}

// AheadText is how far ahead the device's clock was, rounded for people.
func (d SkewedDevice) AheadText() string { return roughly(d.Ahead) }

// trustServerClock tells the store the server's time, from the reply just
// read, before anything of the reply is merged: remote clocks are judged
// against it (store.SetClockOffset).
func trustServerClock(st *store.Store, c *conn, serverTime int64) {
	c.noteServerTime(serverTime)
	if serverTime > 0 {
		st.SetClockOffset(c.skew)
	}
}

// clockRefusal turns the server's refusal of changes stamped ahead into
// OwnClockError when this computer's clock is itself ahead now (the
// refusal carries the server's time); otherwise the stamps date from an
// earlier wrong clock and the refusal stands.
func clockRefusal(err error, c *conn) error {
	if isCode(err, wire.CodeClockAhead) && -c.skew > c.opt.MaxClockAhead {
		return &OwnClockError{Ahead: -c.skew}
	}
	return err
}

// noteSkewed records the devices whose changes the merge refused for their
// clock, in the result and in the state Status shows.
func noteSkewed(ctx context.Context, st *store.Store, refused []*store.BadChangeError, res *Result) error {
	var fresh []SkewedDevice
	for _, r := range refused {
		if r.Ahead > 0 {
			fresh = addSkewed(fresh, SkewedDevice{Device: r.Device(), Ahead: r.Ahead, Refused: 1})
		}
	}
	if len(fresh) == 0 {
		return nil
	}
	for _, d := range fresh {
		res.SkewedDevices = addSkewed(res.SkewedDevices, d)
	}
	all, err := skewedDevices(ctx, st)
	if err != nil {
		return err
	}
	for _, d := range fresh {
		all = addSkewed(all, d)
	}
	data, _ := json.Marshal(all)
	return st.SetSyncState(ctx, map[string]string{keySkewed: string(data)})
}

// addSkewed merges one observation into a list, by device.
func addSkewed(list []SkewedDevice, d SkewedDevice) []SkewedDevice {
	for i := range list {
		if list[i].Device == d.Device {
			list[i].Ahead = max(list[i].Ahead, d.Ahead)
			list[i].Refused += d.Refused
			return list
		}
	}
	list = append(list, d)
	sort.Slice(list, func(i, j int) bool { return list[i].Device < list[j].Device })
	return list
}

// skewedDevices reads the devices recorded by noteSkewed.
func skewedDevices(ctx context.Context, st *store.Store) ([]SkewedDevice, error) {
	v, err := st.SyncState(ctx, keySkewed)
	if err != nil || v == "" {
		return nil, err
	}
	var out []SkewedDevice
	if json.Unmarshal([]byte(v), &out) != nil {
		return nil, nil // a damaged note is dropped, never fatal
	}
	return out, nil
}

// ClearSkewedDevices forgets the clock warnings, once the officer has had
// the clocks of those devices corrected, and notes in the audit log whose
// warnings went. It returns the devices it cleared. Only an officer may: a
// volunteer gets store.ErrForbidden. A device still wrong is named again at
// the next sync that refuses its changes.
func ClearSkewedDevices(ctx context.Context, st *store.Store) ([]SkewedDevice, error) {
	if st.Session().Role != "officer" {
		return nil, store.ErrForbidden
	}
	ds, err := skewedDevices(ctx, st)
	if err != nil || len(ds) == 0 {
		return nil, err
	}
	names := make([]string, len(ds))
	for i, d := range ds {
		names[i] = d.Device
	}
	if err := st.SetSyncState(ctx, map[string]string{keySkewed: ""}); err != nil {
		return nil, err
	}
	return ds, st.Audit(ctx, store.ActionSync, "", store.AuditDetail(store.AuditClockWarning, strings.Join(names, ", ")))
}

// fileClockOffset judges a reply file's changes against the server's time
// when the reply was made, if that is later than this computer's clock: a
// laptop whose clock is behind must not refuse what the server accepted.
func fileClockOffset(st *store.Store, serverTime int64) {
	if d := time.Until(time.UnixMilli(serverTime)); serverTime > 0 && d > 0 {
		st.SetClockOffset(d)
	}
}
