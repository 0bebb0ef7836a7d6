package client

import (
	"context"
	"strconv"
	"time"

	"rehabdesk/store"
)

// Keys of the device's sync_state table.
const (
	keyServer   = "server"
	keyPin      = "pin"
	keyToken    = "token"        // sealed
	keyExchange = "exchange_key" // sealed; seals USB exchange files
	keyScope    = "scope"
	keyCounty   = "county"
	keyPush     = "push_cursor"
	keyPull     = "pull_cursor"
	keyLastOK   = "last_success"
	keyLastErr  = "last_error"
	keyRejected = "rejected" // changes the server refused, in total
	// What tells this device that the server's database went back to an
	// older copy (see server/generation.go and restore.go).
	keyMark     = "pull_mark"  // the server's name of the feed entry at the pull cursor
	keyPushed   = "pushed_hlc" // the last own change the server acknowledged as stored
	keyServerID = "server_id"  // the server's identity
	keyEpoch    = "server_epoch"
	keyRestored = "server_restored" // when this device last found the server restored (Unix ms)
)

// ErrNotEnrolled means the database has no county server yet.
var ErrNotEnrolled = &Error{"not_enrolled", "database is not enrolled with a county server"}

// state is what one sync needs from the database.
type state struct {
	Server, Pin string
	Token       string
	Push, Pull  int64
	// Mark goes with Pull, Pushed with Push; ServerID and Epoch are the
	// server generation this device last synced with.
	Mark, Pushed, ServerID, Epoch string
}

func loadState(ctx context.Context, st *store.Store) (*state, error) {
	var s state
	var err error
	if s.Server, err = st.SyncState(ctx, keyServer); err != nil {
		return nil, err
	}
	if s.Server == "" {
		return nil, ErrNotEnrolled
	}
	if s.Pin, err = st.SyncState(ctx, keyPin); err != nil {
		return nil, err
	}
	tok, err := st.SyncSecret(ctx, keyToken)
	if err != nil {
		return nil, err
	}
	s.Token = string(tok)
	if s.Push, err = intState(ctx, st, keyPush); err != nil {
		return nil, err
	}
	if s.Pull, err = intState(ctx, st, keyPull); err != nil {
		return nil, err
	}
	for key, v := range map[string]*string{keyMark: &s.Mark, keyPushed: &s.Pushed, keyServerID: &s.ServerID, keyEpoch: &s.Epoch} {
		if *v, err = st.SyncState(ctx, key); err != nil {
			return nil, err
		}
	}
	return &s, nil
}

func intState(ctx context.Context, st *store.Store, key string) (int64, error) {
	v, err := st.SyncState(ctx, key)
	if err != nil || v == "" {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

// setInt stores a cursor.
func setInt(ctx context.Context, st *store.Store, key string, v int64) error {
	return st.SetSyncState(ctx, map[string]string{key: strconv.FormatInt(v, 10)})
}

// raiseInt stores a cursor unless it is already further on, so that a late
// exchange file never moves a device back.
func raiseInt(ctx context.Context, st *store.Store, key string, v int64) error {
	cur, err := intState(ctx, st, key)
	if err != nil || cur >= v {
		return err
	}
	return setInt(ctx, st, key, v)
}

// raisePull moves the pull cursor on, with the server's mark of it.
func raisePull(ctx context.Context, st *store.Store, next int64, mark string) error {
	cur, err := intState(ctx, st, keyPull)
	if err != nil || cur >= next {
		return err
	}
	return st.SetSyncState(ctx, map[string]string{keyPull: strconv.FormatInt(next, 10), keyMark: mark})
}

// Info is what the GUI shows about sync without touching the network.
type Info struct {
	Enrolled    bool
	Server      string
	Pin         string
	County      bool     // a county-office device
	Scope       []string // townships this device receives
	LastSuccess time.Time
	LastError   string // English text of the last failure, "" after a success
	Pending     int    // local changes not yet acknowledged by the server
	Rejected    int    // local changes the server refused, in total
	// ServerRestored is when this device last found the county server
	// restored from an older copy (and sent everything again); zero if never.
	ServerRestored time.Time
	// SkewedDevices wrote changes this device refused for being stamped
	// too far ahead: their clocks are wrong (see ClearSkewedDevices).
	SkewedDevices []SkewedDevice
}

// Status reads the device's sync state.
func Status(ctx context.Context, st *store.Store) (Info, error) {
	var in Info
	var err error
	if in.Server, err = st.SyncState(ctx, keyServer); err != nil {
		return in, err
	}
	in.Enrolled = in.Server != ""
	in.Pin, _ = st.SyncState(ctx, keyPin)
	county, _ := st.SyncState(ctx, keyCounty)
	in.County = county == "1"
	if scope, _ := st.SyncState(ctx, keyScope); scope != "" {
		in.Scope = splitComma(scope)
	}
	if ms, _ := intState(ctx, st, keyLastOK); ms > 0 {
		in.LastSuccess = time.UnixMilli(ms)
	}
	in.LastError, _ = st.SyncState(ctx, keyLastErr)
	rej, _ := intState(ctx, st, keyRejected)
	in.Rejected = int(rej)
	if ms, _ := intState(ctx, st, keyRestored); ms > 0 {
		in.ServerRestored = time.UnixMilli(ms)
	}
	in.SkewedDevices, _ = skewedDevices(ctx, st)
	push, err := intState(ctx, st, keyPush)
	if err != nil {
		return in, err
	}
	in.Pending, err = st.CountLocalChanges(ctx, push)
	return in, err
}

func splitComma(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			if i > start {
				out = append(out, s[start:i])
			}
			start = i + 1
		}
	}
	return out
}

func nowTime() time.Time { return time.Now() }

func nowMs() int64 { return time.Now().UnixMilli() }
