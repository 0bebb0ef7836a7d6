package server

import (
	"net/http"
	"strings"
	"testing"

	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// pushAudit sends one page of audit entries with a device's token.
func (f *fixture) pushAudit(tok string, es ...wire.AuditEntry) wire.AuditPushReply {
	f.t.Helper()
	var rep wire.AuditPushReply
	if code := f.post(wire.PathAuditPush, tok, wire.TypeAuditPush, &wire.AuditPushRequest{Entries: es},
		wire.TypeAuditPushReply, &rep); code != http.StatusOK {
		f.t.Fatalf("audit push: HTTP %d", code)
	}
	return rep
}

func entry(device, township, hlc string) wire.AuditEntry {
	return wire.AuditEntry{HLC: hlc, Device: device, Township: township, User: "officer", Action: "view_person", Record: "pA"}
}

// A volunteer's laptop keeps no audit log the township reads: a hostile one
// cannot write entries into it either. Nor can a township device store
// entries whose clock or words are not an audit entry's.
func TestHostileAuditEntriesAreRefused(t *testing.T) {
	h, tokV := volunteerSetup(t)
	hlc := store.HLC{Wall: 1_700_000_000_000}.String()
	if rep := h.pushAudit(tokV, entry("devV", townA, hlc)); rep.Stored != 0 {
		t.Errorf("a volunteer device stored %d audit entries", rep.Stored)
	}
	bad := []wire.AuditEntry{entry("devA", townA, "x"), entry("devA", townA, "")}
	long := entry("devA", townA, hlc)
	long.User = strings.Repeat("u", 100_000)
	bad = append(bad, long)
	if rep := h.pushAudit(h.tokA, bad...); rep.Stored != 0 || rep.Refused != len(bad) {
		t.Errorf("malformed audit entries: %+v, want all %d refused", rep, len(bad))
	}
	if rep := h.pushAudit(h.tokA, entry("devA", townA, hlc)); rep.Stored != 1 {
		t.Errorf("the township device's own entry: %+v, want stored", rep)
	}
}
