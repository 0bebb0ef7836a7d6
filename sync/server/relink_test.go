package server

import (
	"context"
	"testing"

	"rehabdesk/store"
)

// TestCombinedPersonsRecordsFollowTheKeptPerson: an officer combines two
// files of one person (store.CombinePersons): every record of the dropped
// file is re-linked to the kept person by a change of its "person" field.
// The server takes those changes (it refused them: the record kept its
// person on the server and on every other device), an edit typed before
// the re-link still lands, the record stays with the kept person whatever
// order the "person" values arrive in, and the re-link is refused when
// either person is not the device's township's.
func TestCombinedPersonsRecordsFollowTheKeptPerson(t *testing.T) {
	h := newHostile(t)
	h.mustAccept(h.tokA,
		change("devA", townA, store.KindPerson, "pDup", "pDup", map[string]string{"name": "张三"}),
		change("devA", townA, store.KindVisit, "vDup", "pDup", map[string]string{"person": "pDup", "notes": "入户"}))
	stalePerson := change("devA", townA, store.KindVisit, "vDup", "pDup", map[string]string{"person": "pDup"})
	staleNotes := change("devA", townA, store.KindVisit, "vDup", "pDup", map[string]string{"notes": "电话"})
	h.mustAccept(h.tokA, change("devA", townA, store.KindVisit, "vDup", "pA", map[string]string{"person": "pA"}))
	h.mustAccept(h.tokA, staleNotes)
	stalePerson.HLC.Wall = staleNotes.HLC.Wall - 5000 // older than the re-link, arriving after it
	h.mustAccept(h.tokA, stalePerson)
	var got *store.Change
	for _, c := range h.pull(h.enroll("devA2", townA, false)) {
		if c.EntityID == "vDup" && c.Fields["person"] != "" && (got == nil || got.HLC.String() < c.HLC.String()) {
			got = c
		}
	}
	if got == nil || got.Fields["person"] != "pA" {
		t.Fatalf("the township's other device holds the visit under %+v, want the kept person", got)
	}
	if rec := h.townshipState(townA)["vDup"]; rec == nil || rec.Fields["person"] != "pA" || rec.Fields["notes"] != "电话" {
		t.Fatalf("the server holds the visit as %+v", rec)
	}
	if e := h.entity("vDup"); e.person != "pA" {
		t.Fatalf("the server files the visit under %q", e.person)
	}
	for _, c := range []*store.Change{
		change("devA", townA, store.KindVisit, "vDup", "pB", map[string]string{"person": "pB"}),
		change("devB", townB, store.KindVisit, "vB", "pA", map[string]string{"person": "pA"}),
		change("devB", townB, store.KindVisit, "vDup", "pB", map[string]string{"person": "pB"}),
	} {
		tok := map[string]string{"devA": h.tokA, "devB": h.tokB}[c.Device]
		if reason := h.mustRefuse(tok, c); reason != ReasonOutside {
			t.Errorf("re-link of %s to %s refused as %q", c.EntityID, c.PersonID, reason)
		}
	}
}

// entity is the server's state of one record.
func (h *hostileSetup) entity(id string) entityState {
	h.t.Helper()
	var e entityState
	err := h.srv.db.writeTx(context.Background(), func(tx *ptx) (err error) {
		e, err = loadEntity(context.Background(), tx, id)
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return e
}

// TestRecordRelinkedToAnAssignedPersonReachesTheirVolunteerWhole: a visit
// re-linked to a person assigned to a volunteer reaches the volunteer's
// device with its fields, not as a bare "person" value.
func TestRecordRelinkedToAnAssignedPersonReachesTheirVolunteerWhole(t *testing.T) {
	h, tokV := volunteerSetup(t)
	h.mustAccept(h.tokA, change("devA", townA, store.KindVisit, "vA2", "pA", map[string]string{"person": "pA"}))
	notes := ""
	for _, c := range h.pull(tokV) {
		if c.EntityID == "vA2" && c.Fields["notes"] != "" {
			notes = c.Fields["notes"]
		}
	}
	if notes != "未分配" {
		t.Fatalf("the volunteer's device got the re-linked visit's notes as %q", notes)
	}
}
