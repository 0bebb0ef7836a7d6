package server

import (
	"context"
	"net/http"
	"testing"
	"time"

	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// stampedAt is change() with its clock reading at t.
func stampedAt(t time.Time, id string, fields map[string]string) *store.Change {
	c := change("devA", townA, store.KindPerson, id, id, fields)
	c.HLC = store.HLC{Wall: t.UnixMilli()}
	return c
}

// A change stamped in the year 2200 is refused with its page and nothing
// of the page is stored; a clock a little fast is within the bound.
func TestPushStampedFarAheadIsRefused(t *testing.T) {
	f := newFixture(t)
	tok := f.enroll("devA", townA, false)
	future := stampedAt(time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC), "p2", map[string]string{"name": "未来"})
	body, err := wire.Marshal(wire.TypePushRequest, wire.PushRequest{Changes: wire.EncodeChanges([]*store.Change{
		change("devA", townA, store.KindPerson, "p1", "p1", map[string]string{"name": "张三"}), future})})
	if err != nil {
		t.Fatal(err)
	}
	if st := f.postRaw(wire.PathPush, tok, body, wire.TypeError, nil); st != http.StatusConflict {
		t.Fatalf("HTTP %d, want %d (clock_ahead)", st, http.StatusConflict)
	}
	if st, err := f.srv.Stats(context.Background()); err != nil || st.Changes != 0 {
		t.Fatalf("%d changes of the refused page stored (error %v)", st.Changes, err)
	}
	if rep := f.push(tok, stampedAt(time.Now().Add(50*time.Minute), "p3", map[string]string{"name": "快钟"})); rep.Accepted != 1 {
		t.Fatalf("a clock 50 minutes fast: %+v", rep)
	}
}

func TestMaxClockAheadIsASetting(t *testing.T) {
	ctx := context.Background()
	srv := openTest(t, Options{MaxClockAhead: 10 * time.Minute})
	srv.AddTownship(ctx, townA)
	d := &device{ID: "devA", Township: townA}
	_, err := srv.Push(ctx, d, []*store.Change{stampedAt(time.Now().Add(30*time.Minute), "p1", map[string]string{"name": "甲"})})
	if wire.AsError(err).Code != wire.CodeClockAhead {
		t.Fatalf("30 minutes ahead with a 10-minute bound: %v", err)
	}
}
