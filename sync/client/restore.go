package client

import (
	"context"
	"errors"
	"strconv"

	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// A county server put back from an older copy of its database has lost
// changes it acknowledged and hands their feed numbers out again (see
// server/generation.go). The device notices on its first pull: the server's
// epoch is not the one it knew, or the server says it no longer has the
// feed entry at the device's cursor or the device's last stored change.
// It then starts over once: every change of its own is sent again (the
// server keeps each one once), and the feed is read from the start, so no
// renumbered change is skipped.

// ErrServerRestored means the server was found restored a second time in
// one sync; the next sync starts over again.
var ErrServerRestored = &Error{"server_restored", "the county server was restored from an older copy during the sync; sync again"}

// errRestored stops a round of push and pull when the server was restored.
type errRestored struct{ why string }

func (e *errRestored) Error() string { return "county server restored from an older copy: " + e.why }

// records pushes then pulls; when the pull finds the server restored it
// starts over from nothing once, then reports it in res.
func records(ctx context.Context, st *store.Store, c *conn, s *state, res *Result, progress func(Progress)) error {
	for round := 0; ; round++ {
		err := push(ctx, st, c, s, res, progress)
		if err == nil {
			err = pull(ctx, st, c, s, res, progress)
		}
		var er *errRestored
		if !errors.As(err, &er) {
			return err
		}
		if round > 0 {
			return ErrServerRestored
		}
		if err := startOver(ctx, st, s); err != nil {
			return err
		}
		res.ServerRestored = true
	}
}

// checkGeneration compares a pull reply with the server generation this
// device knew, adopting the reply's when it knew none.
func checkGeneration(ctx context.Context, st *store.Store, s *state, rep *wire.PullReply) error {
	switch {
	case rep.Rewound:
		return &errRestored{"it lacks this device's cursor or last change"}
	case s.Epoch != "" && rep.Epoch != "" && rep.Epoch != s.Epoch:
		return &errRestored{"its epoch changed"}
	case s.ServerID != "" && rep.Server != "" && rep.Server != s.ServerID:
		return &errRestored{"it is another server"}
	case rep.Epoch == s.Epoch && rep.Server == s.ServerID:
		return nil
	}
	s.Epoch, s.ServerID = rep.Epoch, rep.Server
	return st.SetSyncState(ctx, map[string]string{keyEpoch: rep.Epoch, keyServerID: rep.Server})
}

// startOver forgets what the server was known to hold: records, audit
// entries and attachments are offered again, and the feed is read again
// from its start. The time is kept for Status.
func startOver(ctx context.Context, st *store.Store, s *state) error {
	if err := st.ForgetBlobsUploaded(ctx); err != nil {
		return err
	}
	err := st.SetSyncState(ctx, map[string]string{
		keyPush: "0", keyPull: "0", keyMark: "", keyPushed: "", keyEpoch: "", keyServerID: "",
		keyAuditPush: "0", keyAuditPull: "0", keyRestored: strconv.FormatInt(nowMs(), 10),
	})
	if err != nil {
		return err
	}
	s.Push, s.Pull, s.Mark, s.Pushed, s.Epoch, s.ServerID = 0, 0, "", "", "", ""
	return nil
}

// fileRestored checks an exchange reply's generation. When the server was
// restored, this device starts over: its next request file carries all its
// changes. A reply the server made from the start of the feed (Rewound)
// then moves the pull cursor as usual; one made from the old cursor under a
// new epoch is merged but leaves the cursor at the start, so the next file
// asks for everything.
func fileRestored(ctx context.Context, st *store.Store, s *state, rep *wire.PullReply) (bool, error) {
	var er *errRestored
	if err := checkGeneration(ctx, st, s, rep); !errors.As(err, &er) {
		return false, err
	}
	if err := startOver(ctx, st, s); err != nil {
		return true, err
	}
	if !rep.Rewound {
		rep.Next, rep.Mark = 0, ""
	}
	return true, checkGeneration(ctx, st, s, &wire.PullReply{Server: rep.Server, Epoch: rep.Epoch})
}
