package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// A change stamped in the year 2200 (a wrong clock, or a hostile device)
// is refused and reported with its device; it neither wins the field nor
// drags this device's clock into the future.
func TestChangeFromTheFutureIsRefused(t *testing.T) {
	future := newClockReplica(t, func() time.Time { return time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC) })
	b := newTestStoreAt(t, filepath.Join(t.TempDir(), "b.db"), nil)
	id := newPerson(t, b, "张三", 1)
	pull(t, future, b)
	mustPut(t, future, KindPerson, id, map[string]string{"phone": "13800000001"})
	st, err := b.ApplyRemote(context.Background(), allChanges(t, future))
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Rejected) == 0 || st.Applied != 0 {
		t.Fatalf("stats %+v", st)
	}
	for _, r := range st.Rejected {
		if r.Ahead < 100*365*24*time.Hour || r.Device() != future.Device() {
			t.Fatalf("refusal %+v", r)
		}
	}
	if mustGet(t, b, id).Fields["phone"] != "" {
		t.Fatal("the change from 2200 was merged")
	}
	if last := b.Clock().Last().Time(); last.After(time.Now().Add(DefaultMaxClockAhead)) {
		t.Fatalf("the device clock jumped to %v", last)
	}
	mustPut(t, b, KindPerson, id, map[string]string{"phone": "13900000002"})
	if got := mustGet(t, b, id).Fields["phone"]; got != "13900000002" {
		t.Fatalf("a later edit here lost: %q", got)
	}
}

// The bound is judged against the server's time once the handshake told
// the store the offset: a laptop whose clock is five hours behind still
// merges what was written a moment ago, and the bound holds from there.
func TestClockOffsetMovesTheBound(t *testing.T) {
	behind := newClockReplica(t, func() time.Time { return time.Now().Add(-5 * time.Hour) })
	right := newTestStoreAt(t, filepath.Join(t.TempDir(), "r.db"), nil)
	id := newPerson(t, right, "李四", 2)
	if st, err := behind.ApplyRemote(context.Background(), allChanges(t, right)); err != nil || len(st.Rejected) == 0 || st.Applied != 0 {
		t.Fatalf("without the offset: %+v (error %v)", st, err)
	}
	behind.SetClockOffset(5 * time.Hour)
	if st := pull(t, behind, right); st.Applied == 0 || mustGet(t, behind, id).Fields["name"] != "李四" {
		t.Fatalf("with the offset: %+v", st)
	}
}
