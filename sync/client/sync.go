package client

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"rehabdesk/store"
	"rehabdesk/store/report"
	"rehabdesk/sync/wire"
)

// ClockWarnAfter is how far a device clock may be from the server's before
// the result warns: merging stays correct (hybrid logical clocks), but dates
// the officer types "today" would be wrong.
const ClockWarnAfter = 5 * time.Minute

// Phase names a step of a sync, for progress display.
type Phase string

// Phases of a sync.
const (
	PhasePush Phase = "push"
	PhasePull Phase = "pull"
)

// Progress reports how far a sync has got. Total is 0 when unknown (pulls).
type Progress struct {
	Phase       Phase
	Done, Total int
}

// Result says what one sync moved.
type Result struct {
	Pushed     int              // local changes the server stored
	Duplicates int              // local changes it already had (a retried page)
	Rejected   []wire.Rejection // local changes it refused for good
	Pulled     int              // remote changes received
	Applied    int              // of which new to this database
	Conflicts  int              // conflicts the merge opened
	BadRemote  int              // remote changes the merge refused as malformed
	// SkewedDevices wrote changes refused for being stamped too far ahead
	// (counted in BadRemote too): their clocks need checking.
	SkewedDevices []SkewedDevice
	// Refused counts remote account changes not merged because they would
	// have locked this device out (store/lockout.go).
	Refused    int
	ClockSkew  time.Duration // server clock minus device clock
	Sent, Recv int64         // bytes on the socket
	// Attachments travel after the records and never fail the sync.
	BlobsSent, BlobsReceived int
	BlobsPending             int   // attachments still to move (retried next sync)
	BlobError                error // why some are pending, nil when only waiting for their uploader
	// ServerRestored: the county server turned out to be restored from an
	// older copy, so this sync sent all this device's changes again and
	// read the township's feed from the start.
	ServerRestored bool
}

// QuotaReached is the server's refusal of more attachment content from
// this device today (wire.CodeQuota), for the officer to be told why some
// attachments wait; nil when none was refused so.
func (r Result) QuotaReached() error {
	if isCode(r.BlobError, wire.CodeQuota) {
		return r.BlobError
	}
	return nil
}

// ClockWarning reports whether the device clock is far off the server's.
func (r Result) ClockWarning() bool {
	return r.ClockSkew > ClockWarnAfter || r.ClockSkew < -ClockWarnAfter
}

// Sync runs one full sync: push every pending local change, then pull until
// the server has nothing more. progress may be nil. Cancel with ctx; what
// was acknowledged or merged before stays done.
func Sync(ctx context.Context, st *store.Store, progress func(Progress), opt Options) (Result, error) {
	opt = opt.withDefaults()
	if progress == nil {
		progress = func(Progress) {}
	}
	var res Result
	s, err := loadState(ctx, st)
	if err != nil {
		return res, err
	}
	c := newConn(s.Server, s.Token, s.Pin, opt)
	for _, step := range []func() error{
		func() error { return fetchExchangeKey(ctx, st, c, s) },
		func() error { return records(ctx, st, c, s, &res, progress) },
		func() error { syncBlobs(ctx, st, c, &res); return ctx.Err() },
		func() error { return purgeTransferred(ctx, st, s.Push) },
		func() error { return pushAudit(ctx, st, c) },
		func() error { return pullAudit(ctx, st, c) },
	} {
		if err = step(); err != nil {
			break
		}
	}
	res.ClockSkew, res.Sent, res.Recv = c.skew, c.sent.Load(), c.received.Load()
	recordOutcome(st, opt.Now(), err)
	auditSync(st, &res, err)
	return res, err
}

// recordOutcome keeps the last success or failure for Status. It uses a
// fresh context: a cancelled sync should still say so.
func recordOutcome(st *store.Store, now time.Time, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err != nil {
		st.SetSyncState(ctx, map[string]string{keyLastErr: err.Error()})
		return
	}
	st.SetSyncState(ctx, map[string]string{keyLastOK: strconv.FormatInt(now.UnixMilli(), 10), keyLastErr: ""})
}

// push sends pages of local changes; the cursor moves after each ack. A
// county-office device only reads: it sends its audit log, no records.
func push(ctx context.Context, st *store.Store, c *conn, s *state, res *Result, progress func(Progress)) error {
	if county, err := st.SyncState(ctx, keyCounty); err != nil || county == "1" {
		return err
	}
	total, err := st.CountLocalChanges(ctx, s.Push)
	if err != nil {
		return err
	}
	for done := 0; ; {
		page, err := st.LocalChanges(ctx, s.Push, c.opt.PushPage)
		if err != nil || len(page) == 0 {
			return err
		}
		page, body, err := c.fitPush(fitPushBytes(page))
		if err != nil {
			return err
		}
		var rep wire.PushReply
		if err := c.callEncoded(ctx, wire.PathPush, body, wire.TypePushReply, &rep); err != nil {
			return clockRefusal(err, c)
		}
		trustServerClock(st, c, rep.ServerTime)
		if err := ackPush(ctx, st, s, page, &rep, res); err != nil {
			return err
		}
		done += len(page)
		progress(Progress{Phase: PhasePush, Done: done, Total: total})
	}
}

// fitPushBytes ends a page early past wire.MaxPushBytes of keys and
// values (a page of long notes), keeping at least one change, so that an
// honest page stays well within the server's bound on a push.
func fitPushBytes(page []*store.Change) []*store.Change {
	size := 0
	for i, c := range page {
		for k, v := range c.Fields {
			size += len(k) + len(v)
		}
		for k, bs := range c.Bases {
			size += len(k) + len(strings.Join(bs, ""))
		}
		if size > wire.MaxPushBytes && i > 0 {
			return page[:i]
		}
	}
	return page
}

// ackPush records an acknowledged page: counts, refusals, the new cursor
// and the last change the server now stores (for checkGeneration).
func ackPush(ctx context.Context, st *store.Store, s *state, page []*store.Change, rep *wire.PushReply, res *Result) error {
	if err := countAck(ctx, st, rep, res); err != nil {
		return err
	}
	s.Push = page[len(page)-1].Seq
	kv := map[string]string{keyPush: strconv.FormatInt(s.Push, 10)}
	if h := lastStored(page, rep.Rejected); h != "" {
		s.Pushed, kv[keyPushed] = h, h
	}
	return st.SetSyncState(ctx, kv)
}

// lastStored is the clock reading of the page's last change the server did
// not refuse, "" when it refused them all.
func lastStored(page []*store.Change, rejected []wire.Rejection) string {
	refused := map[int]bool{}
	for _, r := range rejected {
		refused[r.Index] = true
	}
	for i := len(page) - 1; i >= 0; i-- {
		if !refused[i] {
			return page[i].HLC.String()
		}
	}
	return ""
}

// countAck adds an acknowledgement to the result and keeps the running
// count of refused changes for Status.
func countAck(ctx context.Context, st *store.Store, rep *wire.PushReply, res *Result) error {
	res.Pushed += rep.Accepted
	res.Duplicates += rep.Duplicate
	res.Rejected = append(res.Rejected, rep.Rejected...)
	if len(rep.Rejected) == 0 {
		return nil
	}
	n, err := intState(ctx, st, keyRejected)
	if err != nil {
		return err
	}
	return setInt(ctx, st, keyRejected, n+int64(len(rep.Rejected)))
}

// pull fetches and merges pages until the server says there is no more.
// The next page is fetched and decoded while this one merges (the server
// and the device's merge each keep a core busy); the cursor still moves
// only after a page is merged, so an interruption means a repeat, never a
// gap.
func pull(ctx context.Context, st *store.Store, c *conn, s *state, res *Result, progress func(Progress)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := c.fetchPage(ctx, wire.PullRequest{Cursor: s.Pull, Mark: s.Mark, Pushed: s.Pushed})
	for {
		p := <-next
		if p.err != nil {
			return p.err
		}
		if err := checkGeneration(ctx, st, s, &p.rep); err != nil {
			return err
		}
		if p.rep.More {
			next = c.fetchPage(ctx, wire.PullRequest{Cursor: p.rep.Next, Mark: p.rep.Mark})
		}
		trustServerClock(st, c, p.rep.ServerTime)
		if err := mergePage(ctx, st, p.changes, &p.rep, res); err != nil {
			if p.rep.More {
				cancel()
				<-next // let the fetch end before the sync reports its bytes
			}
			return err
		}
		s.Pull, s.Mark = p.rep.Next, p.rep.Mark
		progress(Progress{Phase: PhasePull, Done: res.Pulled})
		if !p.rep.More {
			return nil
		}
	}
}

// fetchedPage is a pull reply with its changes decoded.
type fetchedPage struct {
	rep     wire.PullReply
	changes []*store.Change
	err     error
}

// fetchPage asks for the page after req.Cursor in the background.
func (c *conn) fetchPage(ctx context.Context, req wire.PullRequest) <-chan fetchedPage {
	out := make(chan fetchedPage, 1)
	go func() {
		var p fetchedPage
		req.Limit = c.opt.PullPage
		build := func() ([]byte, error) {
			req.MaxBytes = c.pages.get()
			return wire.Marshal(wire.TypePullRequest, req)
		}
		p.err = c.callBuilt(ctx, wire.PathPull, build, wire.TypePullReply, &p.rep)
		if p.err == nil {
			p.changes, p.err = p.rep.Changes.Changes()
		}
		out <- p
	}()
	return out
}

// applyPage decodes and merges one page (of an exchange file).
func applyPage(ctx context.Context, st *store.Store, rep *wire.PullReply, res *Result) error {
	changes, err := rep.Changes.Changes()
	if err != nil {
		return err
	}
	return mergePage(ctx, st, changes, rep, res)
}

// mergePage merges one page, then moves the pull cursor. The merge is
// idempotent, so dying between the two only means merging it again.
func mergePage(ctx context.Context, st *store.Store, changes []*store.Change, rep *wire.PullReply, res *Result) error {
	if len(changes) > 0 {
		stats, err := st.ApplyRemote(ctx, changes)
		if err != nil {
			return err
		}
		res.Pulled += len(changes)
		res.Applied += stats.Applied
		res.Conflicts += stats.Conflicts
		res.BadRemote += len(stats.Rejected)
		res.Refused += len(stats.Refused)
		if err := noteSkewed(ctx, st, stats.Rejected, res); err != nil {
			return err
		}
	}
	if err := keepCountyFigures(ctx, st, rep.County); err != nil {
		return err
	}
	return raisePull(ctx, st, rep.Next, rep.Mark)
}

// keepCountyFigures keeps the yearly targets the county sent (on a pull's
// last page) in place of the ones before; a server that predates them
// sends none and the device keeps what it had. More than the wire allows
// is refused whole.
func keepCountyFigures(ctx context.Context, st *store.Store, c *wire.CountyFigures) error {
	if c == nil {
		return nil
	}
	if len(c.Targets) > wire.MaxYearFigures {
		return fmt.Errorf("%w: %d yearly targets", wire.ErrMalformed, len(c.Targets))
	}
	ts := make([]report.YearTarget, len(c.Targets))
	for i, t := range c.Targets {
		ts[i] = report.YearTarget{Year: t.Year, Name: t.Name, Value: t.Value}
	}
	return report.SaveCountyTargets(ctx, st, ts)
}

// isCode reports whether err is a refusal with the given code.
func isCode(err error, code string) bool {
	var we *wire.Error
	return errors.As(err, &we) && we.Code == code
}
