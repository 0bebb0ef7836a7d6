package client

import (
	"bytes"
	"context"
	"errors"
	"time"

	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// Reach is what a quick check of the server found.
type Reach struct {
	Pending   int           // changes waiting on the server for this device
	ClockSkew time.Duration // server clock minus device clock
}

// Ping checks, with one small request and no retries, that the server is
// reachable and still knows this device; the GUI calls it before starting a
// background sync. Errors are those of Sync (NetworkError, *wire.Error...).
func Ping(ctx context.Context, st *store.Store, opt Options) (Reach, error) {
	opt.Retries = -1
	opt = opt.withDefaults()
	s, err := loadState(ctx, st)
	if err != nil {
		return Reach{}, err
	}
	c := newConn(s.Server, s.Token, s.Pin, opt)
	var rep wire.StatusReply
	if err := c.call(ctx, wire.PathStatus, wire.TypeStatusRequest, wire.StatusRequest{Cursor: s.Pull}, wire.TypeStatusReply, &rep); err != nil {
		return Reach{}, err
	}
	trustServerClock(st, c, rep.ServerTime)
	if err := keepExchangeKey(ctx, st, rep.ExchangeKey); err != nil {
		return Reach{}, err
	}
	return Reach{Pending: rep.Pending, ClockSkew: c.skew}, nil
}

// fetchExchangeKey asks the server for the exchange key of a device
// enrolled before exchange files were sealed.
func fetchExchangeKey(ctx context.Context, st *store.Store, c *conn, s *state) error {
	if _, err := exchangeKey(ctx, st); !errors.Is(err, ErrNoExchangeKey) {
		return err
	}
	var rep wire.StatusReply
	if err := c.call(ctx, wire.PathStatus, wire.TypeStatusRequest, wire.StatusRequest{Cursor: s.Pull}, wire.TypeStatusReply, &rep); err != nil {
		return err
	}
	trustServerClock(st, c, rep.ServerTime)
	return keepExchangeKey(ctx, st, rep.ExchangeKey)
}

// keepExchangeKey stores the exchange key the server sent, if it is one
// and differs from the stored one.
func keepExchangeKey(ctx context.Context, st *store.Store, key []byte) error {
	if len(key) != wire.ExchangeKeyLen {
		return nil
	}
	if old, err := st.SyncSecret(ctx, keyExchange); err != nil || bytes.Equal(old, key) {
		return err
	}
	return st.SetSyncSecret(ctx, keyExchange, key)
}
