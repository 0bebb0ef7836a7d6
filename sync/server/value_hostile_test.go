package server

import (
	"strings"
	"testing"

	"rehabdesk/internal/i18n"
	"rehabdesk/store"
)

// TestHostileValuesAreRefused: a device pushing by hand values no device
// would store (a drug-test result "banana", a name of a thousand
// characters, a label instead of a code, an impossible date...) has each
// such change refused as bad_value; its good changes in the same page go
// through, and no device of the township ever receives the bad values.
func TestHostileValuesAreRefused(t *testing.T) {
	h := newHostile(t)
	bad := []*store.Change{
		change("devA", townA, store.KindDrugTest, "t1", "pA", map[string]string{"person": "pA", "date": "2026-01-02", "sample": "urine", "result": "banana"}),
		change("devA", townA, store.KindDrugTest, "t2", "pA", map[string]string{"person": "pA", "date": "2026-01-02", "sample": "urine", "result": "阳性"}),
		change("devA", townA, store.KindPerson, "pA", "pA", map[string]string{"name": strings.Repeat("张", 1000)}),
		change("devA", townA, store.KindPerson, "pA", "pA", map[string]string{"id_number": "520102199001011234"}),
		change("devA", townA, store.KindPerson, "pA", "pA", map[string]string{"drug_types": "heroin,banana"}),
		change("devA", townA, store.KindVisit, "v1", "pA", map[string]string{"person": "pA", "date": "2026-02-30"}),
		change("devA", townA, store.KindPerson, "pA", "pA", map[string]string{store.FieldArchived: "yes"}),
		change("devA", townA, store.KindPerson, "pA", "pA", map[string]string{"notes": strings.Repeat("记", 4001)}),
	}
	good := change("devA", townA, store.KindDrugTest, "t3", "pA", map[string]string{"person": "pA", "date": "2026-01-02", "sample": "urine", "result": "negative"})
	rep := h.push(h.tokA, append(bad, good)...)
	if rep.Accepted != 1 || len(rep.Rejected) != len(bad) {
		t.Fatalf("accepted %d, refused %+v", rep.Accepted, rep.Rejected)
	}
	for _, r := range rep.Rejected {
		if r.Reason != ReasonBadValue {
			t.Errorf("change %d refused as %q", r.Index, r.Reason)
		}
	}
	for _, c := range h.pull(h.enroll("devA2", townA, false)) {
		if c.EntityID == "t1" || c.EntityID == "t2" || c.EntityID == "v1" || c.EntityID == "pA" && c.Fields["name"] != "张三" {
			t.Fatalf("a device of A received %s %v", c.EntityID, c.Fields)
		}
	}
}

// TestHostileLinksAreRefused: a link field names a record the server holds
// of the kind it links to, in the person's own file or the writing
// township: never another township's grid, staff or volunteer, another
// person's measure, nor an id nobody holds; all refused alike.
func TestHostileLinksAreRefused(t *testing.T) {
	h := newHostile(t)
	h.mustAccept(h.tokB,
		change("devB", townB, store.KindGrid, "gB", "", map[string]string{"village": "520102017001", "name": "一组"}),
		change("devB", townB, store.KindStaff, "sB", "", map[string]string{"name": "乙", "role": "officer"}),
		change("devB", townB, store.KindVolunteer, "volB", "", map[string]string{"name": "丙", "source": "other"}),
		change("devB", townB, store.KindMeasure, "mB", "pB", map[string]string{"person": "pB", "type": "detox", "status": "active"}))
	h.mustAccept(h.tokA,
		change("devA", townA, store.KindGrid, "gA", "", map[string]string{"village": "520102016001", "name": "一组"}),
		change("devA", townA, store.KindPerson, "pA2", "pA2", map[string]string{"name": "王五"}),
		change("devA", townA, store.KindMeasure, "mA2", "pA2", map[string]string{"person": "pA2", "type": "detox", "status": "active"}))
	links := []*store.Change{
		change("devA", townA, store.KindPerson, "pA", "pA", map[string]string{"grid": "gB"}),
		change("devA", townA, store.KindPerson, "pA", "pA", map[string]string{"staff": "sB"}),
		change("devA", townA, store.KindPerson, "pA", "pA", map[string]string{"staff": "gA"}),
		change("devA", townA, store.KindPerson, "pA", "pA", map[string]string{"grid": "no-such-grid"}),
		change("devA", townA, store.KindAccount, "acA", "", map[string]string{"username": "v", "role": "volunteer", "volunteer": "volB"}),
		change("devA", townA, store.KindAgreement, "agA", "pA", map[string]string{"person": "pA", "signed_date": "2026-01-02", "measure": "mA2"}),
		change("devA", townA, store.KindAgreement, "agA", "pA", map[string]string{"person": "pA", "signed_date": "2026-01-02", "measure": "mB"}),
		change("devA", townA, store.KindAssignment, "asA", "pA", map[string]string{"person": "pA", "role": "volunteer", "member": "volB"}),
	}
	for _, c := range links {
		if reason := h.mustRefuse(h.tokA, c); reason != ReasonBadLink {
			t.Errorf("%s.%v refused as %q", c.Kind, c.Fields, reason)
		}
	}
	h.mustAccept(h.tokA, change("devA", townA, store.KindPerson, "pA", "pA", map[string]string{"grid": "gA"}))
	if got := h.townshipState(townA)["pA"].Fields; got["grid"] != "gA" || got["staff"] != "" {
		t.Fatalf("A's person now %v", got)
	}
}

// Every reason the server refuses a change for reads in words on the
// device (sync.reason.*; every language has the same keys: assets'
// TestTranslationsSortedAndComplete).
func TestEveryRefusalReasonIsTranslated(t *testing.T) {
	for _, r := range []string{ReasonForeignDevice, ReasonOutside, ReasonUnknownKind, ReasonUnknownField, ReasonBadValue,
		ReasonBadEntity, ReasonBadLink, ReasonNotAssigned, ReasonTransferred, ReasonBadChange} {
		if key := "sync.reason." + r; i18n.Text("zh", key) == key {
			t.Errorf("no text for refusal %q", r)
		}
	}
}
