package client

import (
	"context"
	"strconv"
	"time"

	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// Cursors of the audit log, kept apart from the record cursors.
const (
	keyAuditPush = "audit_push_cursor"
	keyAuditPull = "audit_pull_cursor"
)

// pushAudit sends this device's audit entries in pages, after the records:
// the county sees who viewed or exported what, even from read-only devices.
func pushAudit(ctx context.Context, st *store.Store, c *conn) error {
	after, err := intState(ctx, st, keyAuditPush)
	if err != nil {
		return err
	}
	for {
		es, err := st.AuditSince(ctx, after, wire.MaxAuditPage)
		if err != nil || len(es) == 0 {
			return err
		}
		var rep wire.AuditPushReply
		req := wire.AuditPushRequest{Entries: wire.FromAudit(es)}
		if err := c.call(ctx, wire.PathAuditPush, wire.TypeAuditPush, req, wire.TypeAuditPushReply, &rep); err != nil {
			return err
		}
		after = es[len(es)-1].Seq
		if err := setInt(ctx, st, keyAuditPush, after); err != nil {
			return err
		}
	}
}

// pullAudit fetches the audit entries of the device's scope; volunteers
// never receive them.
func pullAudit(ctx context.Context, st *store.Store, c *conn) error {
	if st.Session().Role == "volunteer" {
		return nil
	}
	cursor, err := intState(ctx, st, keyAuditPull)
	if err != nil {
		return err
	}
	for {
		var rep wire.AuditPullReply
		req := wire.AuditPullRequest{Cursor: cursor}
		if err := c.call(ctx, wire.PathAuditPull, wire.TypeAuditPull, req, wire.TypeAuditPullReply, &rep); err != nil {
			return err
		}
		es, err := wire.ToAudit(rep.Entries)
		if err != nil {
			return err
		}
		if err := st.ApplyRemoteAudit(ctx, es); err != nil {
			return err
		}
		cursor = rep.Next
		if err := setInt(ctx, st, keyAuditPull, cursor); err != nil || !rep.More {
			return err
		}
	}
}

// auditSync records the sync itself in the audit log (counts only).
func auditSync(st *store.Store, res *Result, err error) {
	failed := ""
	if err != nil {
		failed = "failed"
	}
	detail := store.AuditDetail(store.AuditSync, strconv.Itoa(res.Pushed), strconv.Itoa(res.Pulled),
		strconv.Itoa(len(res.Rejected)), strconv.Itoa(res.Refused), failed)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st.Audit(ctx, store.ActionSync, "", detail)
}
