package server

import (
	"testing"

	"rehabdesk/store"
)

// TestHostileChangesEveryDeviceSkipsAreRefused: a change whose merge notes
// (its bases) are malformed, or which clears a person's township, is one
// every device skips as malformed (store.ApplyRemote's check). Taken by
// the server, its values stand in the server's state — the county office
// sees them — but on no device of the township, for ever. The server
// refuses it, and its state keeps the person as it was.
func TestHostileChangesEveryDeviceSkipsAreRefused(t *testing.T) {
	h := newHostile(t)
	based := func(fields map[string]string, bases map[string][]string) *store.Change {
		c := change("devA", townA, store.KindPerson, "pA", "pA", fields)
		c.Bases = bases
		return c
	}
	older := store.Version{HLC: store.HLC{Wall: clock - 500}, Device: "devA"}.String()
	later := store.Version{HLC: store.HLC{Wall: clock + 1e6}, Device: "devA"}.String()
	hostile := []*store.Change{
		based(map[string]string{"name": "假名一"}, map[string][]string{"name": {"not a version"}}),
		based(map[string]string{"name": "假名二"}, map[string][]string{"phone": {older}}),
		based(map[string]string{"name": "假名三"}, map[string][]string{"name": {later}}),
		based(map[string]string{"name": "假名四"}, map[string][]string{store.BaseSeen: {"garbage"}}),
	}
	for i, c := range hostile {
		if reason := h.mustRefuse(h.tokA, c); reason != ReasonBadChange {
			t.Errorf("change %d refused as %q, want %q", i, reason, ReasonBadChange)
		}
	}
	cleared := change("devA", townA, store.KindPerson, "pA", "pA", map[string]string{"name": "假名五", store.FieldTownship: ""})
	if reason := h.mustRefuse(h.tokA, cleared); reason != ReasonBadValue {
		t.Errorf("township cleared: refused as %q, want %q", reason, ReasonBadValue)
	}
	if got := h.townshipState(townA)["pA"].Fields["name"]; got != "张三" {
		t.Fatalf("the server holds A's person as %q, which no device of A holds", got)
	}
}

// TestHostileRecordIDsNoDeviceTakesAreRefused: a device merges only
// records whose id is a UUID (store's checkChange), so a record pushed
// with any other id is held by the server — the county office sees it —
// and skipped by every device of the township, for ever.
func TestHostileRecordIDsNoDeviceTakesAreRefused(t *testing.T) {
	t.Skip("hole: the server takes any id up to 64 characters; refusing non-UUID ids needs every server and countyd test fixture (\"p1\", \"pA\"...) to use UUIDs first")
	h := newHostile(t)
	if reason := h.mustRefuse(h.tokA, change("devA", townA, store.KindPerson, "phantom", "phantom", map[string]string{"name": "王五"})); reason != ReasonBadEntity {
		t.Fatalf("refused as %q", reason)
	}
}
