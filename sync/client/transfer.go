package client

import (
	"context"

	"rehabdesk/store"
	"rehabdesk/store/report"
)

// purgeTransferred erases the files of persons transferred to another
// township once this device's changes to them are acknowledged (the push
// cursor covers them): until then they stay, hidden, so that an edit typed
// here before the transfer was known still reaches the new township.
// The monthly report first keeps what they counted in the months before
// they left (report.KeepDeparted): a closed month must not change.
func purgeTransferred(ctx context.Context, st *store.Store, pushed int64) error {
	if err := report.KeepDeparted(ctx, st); err != nil {
		return err
	}
	_, err := st.PurgeTransferred(ctx, pushed)
	return err
}
