package store

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
)

// TestMergeRefusesAttachmentLinkedToAnotherPersonsEvent: a remote
// attachment change naming, as its event, a record this device holds of
// another person, or a record that is no event, is skipped and reported
// (the county refuses it too); one naming its own person's event, held here
// or merged in the same batch, merges.
func TestMergeRefusesAttachmentLinkedToAnotherPersonsEvent(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	p1, p2 := newPerson(t, s, "张三", 1), newPerson(t, s, "李四", 2)
	visit := map[string]string{"date": "2026-01-05", "visitor_kind": "staff", "mode": "home"}
	v1, v2 := mustPut(t, s, KindVisit, "", withPerson(visit, p1)), mustPut(t, s, KindVisit, "", withPerson(visit, p2))
	base := time.Now().UnixMilli()
	remote := func(n int64, kind Kind, id, person string, f map[string]string) *Change {
		return &Change{HLC: HLC{Wall: base + n}, Device: "dev-x", Kind: kind, EntityID: id, PersonID: person, Township: testTownship,
			User: "x", Fields: f, Bases: map[string][]string{}}
	}
	att, fresh, fresh2 := uuid.NewString(), uuid.NewString(), uuid.NewString()
	scan := map[string]string{"person": p1, "kind": "other", "filename": "a.jpg", "sha256": "ab"}
	st, err := s.ApplyRemote(ctx, []*Change{
		remote(1, KindAttachment, att, p1, withEvent(scan, v1)),
		remote(2, KindAttachment, att, p1, map[string]string{"event": v2}),
		remote(3, KindAttachment, uuid.NewString(), p1, withEvent(scan, v2)),
		remote(4, KindAttachment, uuid.NewString(), p1, withEvent(scan, att)),
		remote(5, KindVisit, fresh, p1, withPerson(visit, p1)),
		remote(6, KindAttachment, uuid.NewString(), p1, withEvent(scan, fresh)),
		remote(7, KindVisit, fresh2, p2, withPerson(visit, p2)),
		remote(8, KindAttachment, uuid.NewString(), p1, withEvent(scan, fresh2)),
	})
	if err != nil {
		t.Fatal(err)
	}
	if st.Applied != 4 || len(st.Rejected) != 4 {
		t.Fatalf("merged %d, skipped %v", st.Applied, st.Rejected)
	}
	if got := mustGet(t, s, att).Fields["event"]; got != v1 {
		t.Fatalf("the attachment now belongs to %q, not to its person's visit", got)
	}
	for _, r := range st.Rejected {
		if r.Reason != foreignEventReason {
			t.Fatalf("skipped for %q", r.Reason)
		}
	}
}

func withPerson(f map[string]string, person string) map[string]string {
	out := copyFields(f)
	out["person"] = person
	return out
}

func withEvent(f map[string]string, event string) map[string]string {
	out := copyFields(f)
	out["event"] = event
	return out
}
