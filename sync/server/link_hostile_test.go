package server

import (
	"testing"

	"rehabdesk/store"
)

// TestHostileAttachmentLinkedToAnotherPersonsEvent: an attachment belongs
// to its own person's file or to an event of that same person, as the
// server holds it. Linked to another township's event, another person's
// event of its own township, a record that is no event or an id nobody
// holds, it is refused alike, as a new attachment or as an edit, and B's
// devices see nothing.
func TestHostileAttachmentLinkedToAnotherPersonsEvent(t *testing.T) {
	h := newHostile(t)
	h.mustAccept(h.tokA,
		change("devA", townA, store.KindPerson, "pA2", "pA2", map[string]string{"name": "王五"}),
		change("devA", townA, store.KindVisit, "vA2", "pA2", map[string]string{"person": "pA2"}),
		change("devA", townA, store.KindVisit, "vA", "pA", map[string]string{"person": "pA"}),
		change("devA", townA, store.KindStaff, "stA", "", map[string]string{"name": "王强", "role": "officer"}),
		change("devA", townA, store.KindAssignment, "asgA", "pA", map[string]string{"person": "pA", "member": "stA", "role": "staff"}),
		attachment("devA", townA, "attOK", "pA", hashOf([]byte("ok"))),
	)
	var reasons []string
	for _, event := range []string{"vB", "vA2", "asgA", "attOK", "pA", "no-such-record"} {
		linked := attachment("devA", townA, "att-"+event, "pA", hashOf([]byte(event)))
		linked.Fields["event"] = event
		reasons = append(reasons, h.mustRefuse(h.tokA, linked))
		h.mustRefuse(h.tokA, change("devA", townA, store.KindAttachment, "attOK", "pA", map[string]string{"event": event}))
	}
	for _, r := range reasons {
		if r != reasons[0] {
			t.Errorf("refusals tell the links apart: %v", reasons)
		}
	}
	if got := h.townshipState(townA)["attOK"].Fields["event"]; got != "" {
		t.Fatalf("A's attachment now belongs to %q", got)
	}
	if got := h.pulledEntities("devB2", townB); len(got) != 3 {
		t.Fatalf("B's devices receive %v", got)
	}
	// Its own person's event, in the same page as the event itself.
	own := attachment("devA", townA, "attV", "pA", hashOf([]byte("visit scan")))
	own.Fields["event"] = "vA3"
	h.mustAccept(h.tokA, change("devA", townA, store.KindVisit, "vA3", "pA", map[string]string{"person": "pA"}), own,
		change("devA", townA, store.KindAttachment, "attOK", "pA", map[string]string{"event": "vA"}))
}
