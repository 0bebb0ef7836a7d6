package wire

import (
	"time"

	"rehabdesk/store"
)

// HTTP paths of the audit log exchanges. The audit log (who viewed,
// revealed, exported what) travels apart from record changes: it has its own
// cursors, and a device that may not push records (a county device) still
// pushes its audit.
const (
	PathAuditPush = "/v1/audit/push"
	PathAuditPull = "/v1/audit/pull"
)

// Message types of the audit exchanges.
const (
	TypeAuditPush Type = iota + 32
	TypeAuditPushReply
	TypeAuditPull
	TypeAuditPullReply
)

// MaxAuditPage bounds the entries of one audit message.
const MaxAuditPage = 2000

// AuditEntry is a store.AuditEntry on the wire.
type AuditEntry struct {
	HLC      string `json:"h"`
	Device   string `json:"d"`
	Township string `json:"t"`
	User     string `json:"u,omitempty"`
	Action   string `json:"a"`
	Record   string `json:"r,omitempty"`
	Person   string `json:"p,omitempty"`
	Time     int64  `json:"w"`
	Detail   string `json:"x,omitempty"`
}

// AuditPushRequest is a page of the device's own audit entries.
type AuditPushRequest struct {
	Entries []AuditEntry `json:"entries"`
}

// AuditPushReply acknowledges a page; refused entries are counted, not retried.
type AuditPushReply struct {
	Stored  int `json:"stored"`
	Refused int `json:"refused,omitempty"`
}

// AuditPullRequest asks for entries of the device's scope after a cursor.
type AuditPullRequest struct {
	Cursor int64 `json:"cursor"`
}

// AuditPullReply is one page of audit entries.
type AuditPullReply struct {
	Entries []AuditEntry `json:"entries"`
	Next    int64        `json:"next"`
	More    bool         `json:"more,omitempty"`
}

// FromAudit converts store entries for the wire.
func FromAudit(es []store.AuditEntry) []AuditEntry {
	out := make([]AuditEntry, len(es))
	for i, e := range es {
		out[i] = AuditEntry{HLC: e.HLC.String(), Device: e.Device, Township: e.Township, User: e.User, Action: e.Action,
			Record: e.RecordID, Person: e.PersonID, Time: e.Time.UnixMilli(), Detail: e.Detail}
	}
	return out
}

// ToAudit converts wire entries for the store; a bad clock reading fails.
func ToAudit(es []AuditEntry) ([]store.AuditEntry, error) {
	out := make([]store.AuditEntry, len(es))
	for i, e := range es {
		h, err := store.ParseHLC(e.HLC)
		if err != nil {
			return nil, ErrMalformed
		}
		out[i] = store.AuditEntry{HLC: h, Device: e.Device, Township: e.Township, User: e.User, Action: e.Action,
			RecordID: e.Record, PersonID: e.Person, Time: time.UnixMilli(e.Time), Detail: e.Detail}
	}
	return out, nil
}
