package client

import (
	"context"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
	"rehabdesk/sync/server"
	"rehabdesk/sync/wire"
)

// deviceAt makes an enrolled device whose clock is off by skew.
func (c *county) deviceAt(t *testing.T, skew time.Duration) *store.Store {
	t.Helper()
	now := func() time.Time { return time.Now().Add(skew) }
	st, err := store.Create(context.Background(), filepath.Join(t.TempDir(), "d.db"), townA, "officer", "secret-pass",
		store.Options{KDF: storetest.FastKDF, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	opt := fastOpt
	opt.Now = now
	if _, err := Enroll(context.Background(), st, c.url, c.code(t, townA), "", opt); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestWrongClocksStillConvergeAndAreWarned(t *testing.T) {
	c := newCounty(t)
	// Ahead within the bound (see TestClockFromTheFutureDoesNotSpread for
	// beyond it); behind by any amount, which merging copes with.
	ahead, behind := c.deviceAt(t, 40*time.Minute), c.deviceAt(t, -2*time.Hour)
	right := c.enrolled(t, townA)
	p := put(t, right, store.KindPerson, "", map[string]string{"name": "张三", "id_number": idFor(9)})
	mustSync(t, right)
	syncAt := func(st *store.Store, skew time.Duration) Result {
		opt := fastOpt
		opt.Now = func() time.Time { return time.Now().Add(skew) }
		res, err := Sync(context.Background(), st, nil, opt)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	syncAt(ahead, 40*time.Minute)
	syncAt(behind, -2*time.Hour)
	// The device that is behind saw the others' changes, so its edit, made
	// afterwards, wins even though its clock says it is earlier.
	put(t, ahead, store.KindPerson, p, map[string]string{"phone": "13800000001"})
	syncAt(ahead, 40*time.Minute)
	if res := syncAt(behind, -2*time.Hour); !res.ClockWarning() {
		t.Fatalf("a clock 2 h behind was not warned (skew %v)", res.ClockSkew)
	}
	put(t, behind, store.KindPerson, p, map[string]string{"phone": "13900000002"})
	for round := 0; round < 2; round++ {
		syncAt(ahead, 40*time.Minute)
		syncAt(behind, -2*time.Hour)
		mustSync(t, right)
	}
	want := c.snapshot(t, townA)
	for _, st := range []*store.Store{ahead, behind, right} {
		sameData(t, "device vs server", snapshot(t, st), want)
	}
	if want[p]["phone"] != "13900000002" {
		t.Fatalf("the later edit lost: phone %q", want[p]["phone"])
	}
}

// movableDevice is an enrolled device whose clock the test sets.
func movableDevice(t *testing.T, c *county, now *time.Time) *store.Store {
	t.Helper()
	clock := func() time.Time { return *now }
	st, err := store.Create(context.Background(), filepath.Join(t.TempDir(), "m.db"), townA, "officer", "secret-pass",
		store.Options{KDF: storetest.FastKDF, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := Enroll(context.Background(), st, c.url, c.code(t, townA), "", fastOpt); err != nil {
		t.Fatal(err)
	}
	return st
}

var year2200 = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)

// A computer whose clock runs ahead is told so before it sends anything,
// and changes it stamped while its clock was wrong are refused by the
// server with their page, kept, and named as such.
func TestOwnClockAheadIsSaidAndNothingIsLost(t *testing.T) {
	c := newCounty(t)
	ctx := context.Background()
	now := year2200
	dev := movableDevice(t, c, &now)
	put(t, dev, store.KindPerson, "", map[string]string{"name": "王五", "id_number": idFor(21)})
	opt := fastOpt
	opt.Now = func() time.Time { return now }
	var own *OwnClockError
	if _, err := Sync(ctx, dev, nil, opt); !errors.As(err, &own) || own.Ahead < 100*365*24*time.Hour {
		t.Fatalf("sync with a clock in 2200: %v", err)
	}
	now = time.Now() // the officer corrects the clock; the stamps stay in 2200
	opt.Now = time.Now
	_, err := Sync(ctx, dev, nil, opt)
	if we := (*wire.Error)(nil); !errors.As(err, &we) || we.Code != wire.CodeClockAhead {
		t.Fatalf("sync of changes stamped in 2200: %v", err)
	}
	if in, err := Status(ctx, dev); err != nil || in.Pending == 0 {
		t.Fatal("the refused changes are no longer pending", err)
	}
	if st, err := c.srv.Stats(ctx); err != nil || st.Changes != 0 {
		t.Fatalf("the server stored %d changes from 2200 (error %v)", st.Changes, err)
	}
}

// Even when a server lets a change from 2200 through (an older release),
// devices refuse it: it wins nothing, does not move their clocks, the
// officer is told which device's clock is wrong, and the skew does not
// spread to a third device through the second one's edits.
func TestClockFromTheFutureDoesNotSpread(t *testing.T) {
	c := newLenientCounty(t)
	ctx := context.Background()
	b, third := c.enrolled(t, townA), c.enrolled(t, townA)
	p := put(t, b, store.KindPerson, "", map[string]string{"name": "赵六", "id_number": idFor(22)})
	mustSync(t, b)
	now := year2200
	hostile := movableDevice(t, c, &now)
	hostileOpt := fastOpt
	hostileOpt.Now, hostileOpt.MaxClockAhead = func() time.Time { return now }, 250*365*24*time.Hour
	if _, err := Sync(ctx, hostile, nil, hostileOpt); err != nil {
		t.Fatal(err)
	}
	put(t, hostile, store.KindPerson, p, map[string]string{"phone": "13800000001"})
	if _, err := Sync(ctx, hostile, nil, hostileOpt); err != nil {
		t.Fatal(err)
	}
	res := mustSync(t, b)
	if len(res.SkewedDevices) != 1 || res.SkewedDevices[0].Device != hostile.Device() || res.BadRemote == 0 {
		t.Fatalf("result %+v", res)
	}
	if in, err := Status(ctx, b); err != nil || len(in.SkewedDevices) != 1 || in.SkewedDevices[0].Device != hostile.Device() {
		t.Fatalf("status does not name the device: %+v (error %v)", in.SkewedDevices, err)
	}
	clearClockWarning(t, b, hostile.Device())
	put(t, b, store.KindPerson, p, map[string]string{"phone": "13900000002"})
	mustSync(t, b)
	mustSync(t, third)
	for name, st := range map[string]*store.Store{"second": b, "third": third} {
		if last := st.Clock().Last().Time(); last.After(time.Now().Add(store.DefaultMaxClockAhead)) {
			t.Fatalf("%s device's clock moved to %v", name, last)
		}
		if got := snapshot(t, st)[p]["phone"]; got != "13900000002" {
			t.Fatalf("%s device: phone %q, the edit from 2200 won", name, got)
		}
	}
}

// newLenientCounty is a county server that, like releases before the
// bound, accepts changes stamped centuries ahead.
func newLenientCounty(t *testing.T) *county {
	t.Helper()
	ctx := context.Background()
	srv, err := server.Open(ctx, filepath.Join(t.TempDir(), "county.db"), server.Options{MaxClockAhead: 250 * 365 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	srv.AddTownship(ctx, townA)
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return &county{srv: srv, url: hs.URL}
}

// clearClockWarning clears b's clock warning as the officer does once the
// device's clock is fixed: Status names no device any more, and the audit
// log says whose warning went.
func clearClockWarning(t *testing.T, b *store.Store, device string) {
	t.Helper()
	ctx := context.Background()
	if ds, err := ClearSkewedDevices(ctx, b); err != nil || len(ds) != 1 || ds[0].Device != device {
		t.Fatalf("cleared %+v (error %v)", ds, err)
	}
	if in, err := Status(ctx, b); err != nil || len(in.SkewedDevices) != 0 {
		t.Fatalf("after clearing: %+v (error %v)", in.SkewedDevices, err)
	}
	log, err := b.AuditLog(ctx, store.AuditFilter{Action: store.ActionSync})
	if err != nil {
		t.Fatal(err)
	}
	want := store.AuditDetail(store.AuditClockWarning, device)
	if !slices.ContainsFunc(log, func(e store.AuditEntry) bool { return e.Detail == want }) {
		t.Fatalf("no audit entry %s in %+v", want, log)
	}
}
