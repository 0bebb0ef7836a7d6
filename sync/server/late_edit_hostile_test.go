package server

import (
	"testing"
	"time"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
)

// lateEdit is a change of pA by a device of A, stamped at t.
func lateEdit(dev string, t time.Time, fields map[string]string) *store.Change {
	c := change(dev, townA, store.KindPerson, "pA", "pA", fields)
	c.HLC = store.HLC{Wall: t.UnixMilli()}
	return c
}

// TestHostileLateEditsOfATransferredPerson: once A moved pA to B, A's
// devices may still send edits made before they could know of it — stamped
// before the transfer reached the server, or sent before the device pulled
// past it — and nothing else: a device that has pulled the transfer cannot
// go on writing into B's file with fresh stamps, and after lateEditWindow
// no device of A can at all.
func TestHostileLateEditsOfATransferredPerson(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	f := fixtureFor(t, openTest(t, Options{Now: clk.Now}))
	h := &hostileSetup{fixture: f, tokA: f.enroll("devA", townA, false), tokB: f.enroll("devB", townB, false)}
	h.mustAccept(h.tokA, lateEdit("devA", clk.Now(), map[string]string{"name": "张三"}))
	tokA2, tokA3 := h.enroll("devA2", townA, false), h.enroll("devA3", townA, false)
	h.pull(tokA2)
	beforeTransfer := clk.Now()
	clk.Add(time.Hour)
	h.mustAccept(h.tokA, lateEdit("devA", clk.Now(), map[string]string{store.FieldTownship: townB}))
	clk.Add(time.Hour)
	// A2, offline across the transfer, sends what it typed meanwhile.
	h.mustAccept(tokA2, lateEdit("devA2", clk.Now().Add(-time.Minute), map[string]string{"phone": "13800000001"}))
	h.pull(tokA2)
	h.pull(tokA2) // its cursor, past the transfer, tells the server it has merged it
	clk.Add(time.Hour)
	if reason := h.mustRefuse(tokA2, lateEdit("devA2", clk.Now(), map[string]string{"phone": "13800000002"})); reason != ReasonTransferred {
		t.Fatalf("an edit after A2 learnt of the transfer refused as %q", reason)
	}
	h.mustRefuse(h.tokA, lateEdit("devA", clk.Now(), map[string]string{"notes": "转走后"}))
	// An edit A2 made before the transfer, still pending, is kept.
	h.mustAccept(tokA2, lateEdit("devA2", beforeTransfer, map[string]string{"relapse": "转出前录入"}))
	clk.Add(lateEditWindow)
	h.mustRefuse(tokA3, lateEdit("devA3", beforeTransfer, map[string]string{"notes": "一个月后"}))
	got := h.townshipState(townB)["pA"].Fields
	if got["phone"] != "13800000001" || got["notes"] != "" || got["relapse"] != "转出前录入" {
		t.Fatalf("B holds %v", got)
	}
	// B's own devices edit as they like.
	h.mustAccept(h.tokB, change("devB", townB, store.KindPerson, "pA", "pA", map[string]string{"notes": "转入"}))
}
