package server

import (
	"context"
	"testing"
	"time"

	"rehabdesk/internal/storetest"
	"rehabdesk/sync/wire"
)

// A device's "last seen" is written at most once a minute (a sync's
// requests come seconds apart), at once when it runs another release, and
// skipping the write never skips the token check: a revoked device is
// refused on its very next request.
func TestLastSeenIsWrittenOnceAMinuteAndRevocationStaysImmediate(t *testing.T) {
	c := storetest.NewClock(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	f := fixtureFor(t, openTest(t, Options{Now: c.Now}))
	ctx := context.Background()
	hash := wire.TokenHashHex(f.enroll("devA", townA, false))
	seen := func(version string) (time.Time, string) {
		t.Helper()
		if _, err := f.srv.authenticate(ctx, hash, "127.0.0.1", version); err != nil {
			t.Fatal(err)
		}
		ds, err := f.srv.Devices(ctx)
		if err != nil || len(ds) != 1 {
			t.Fatalf("devices %v, %v", ds, err)
		}
		return ds[0].LastSeen, ds[0].Version
	}
	t0 := c.Now()
	for _, step := range []struct {
		after   time.Duration
		version string
		want    time.Time
	}{
		{0, "1.0", t0},
		{30 * time.Second, "1.0", t0},                       // within the minute: not written
		{0, "1.1", t0.Add(30 * time.Second)},                // another release: written at once
		{61 * time.Second, "1.1", t0.Add(91 * time.Second)}, // a minute on
	} {
		c.Add(step.after)
		if got, v := seen(step.version); !got.Equal(step.want) || v != step.version {
			t.Fatalf("at %v with %s: last seen %v %q, want %v", c.Now().Sub(t0), step.version, got, v, step.want)
		}
	}
	if err := f.srv.Revoke(ctx, "devA"); err != nil {
		t.Fatal(err)
	}
	c.Add(time.Second)
	if _, err := f.srv.authenticate(ctx, hash, "127.0.0.1", "1.1"); wire.AsError(err).Code != wire.CodeRevoked {
		t.Fatalf("revoked device authenticated: %v", err)
	}
}
