package client

import (
	"bytes"
	"context"
	"errors"

	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

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
