package server

import (
	"testing"

	"rehabdesk/store"
)

// TestHostileTransferIntoATownshipNotServed: a device may move its own
// person out, but only to a township this server serves: moved anywhere
// else (a township of the county not served here, another county's, a
// code that names no township) no device would ever receive the file
// again, while the sending township's devices erase it.
func TestHostileTransferIntoATownshipNotServed(t *testing.T) {
	h := newHostile(t)
	for _, to := range []string{"520102018", "522301100", "520102001"} {
		if reason := h.mustRefuse(h.tokA, change("devA", townA, store.KindPerson, "pA", "pA", map[string]string{store.FieldTownship: to})); reason != ReasonOutside && reason != ReasonBadValue {
			t.Errorf("moved to %s: refused as %q", to, reason)
		}
	}
	if got := h.pulledEntities("devA2", townA); !got["pA"] {
		t.Fatalf("A lost its person: %v", got)
	}
	h.mustAccept(h.tokA, change("devA", townA, store.KindPerson, "pA", "pA", map[string]string{store.FieldTownship: townB}))
	if got := h.pulledEntities("devB2", townB); !got["pA"] {
		t.Fatalf("B did not receive the person moved to it: %v", got)
	}
}
