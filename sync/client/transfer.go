package client

import (
	"context"

	"rehabdesk/store"
)

// purgeTransferred erases the files of persons transferred to another
// township once this device's changes to them are acknowledged (the push
// cursor covers them): until then they stay, hidden, so that an edit typed
// here before the transfer was known still reaches the new township.
func purgeTransferred(ctx context.Context, st *store.Store, pushed int64) error {
	_, err := st.PurgeTransferred(ctx, pushed)
	return err
}
