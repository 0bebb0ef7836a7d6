package server

import (
	"context"
	"encoding/json"
	"unicode/utf8"

	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// PushAudit stores a page of a device's own audit entries, each once.
// Entries claiming another device or township are refused and counted.
func (s *Server) PushAudit(ctx context.Context, d *device, es []wire.AuditEntry) (*wire.AuditPushReply, error) {
	if len(es) > wire.MaxAuditPage {
		return nil, &wire.Error{Code: wire.CodeTooLarge, Detail: "audit page"}
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	rep := &wire.AuditPushReply{}
	err := s.db.writeTx(ctx, func(tx *ptx) error {
		for _, e := range es {
			if !auditEntryOf(d, e) {
				rep.Refused++
				continue
			}
			body, _ := json.Marshal(e)
			if err := tx.exec(`INSERT INTO audit(hlc, device, township, entry) VALUES(?,?,?,?)
				ON CONFLICT(hlc, device) DO NOTHING`, e.HLC, e.Device, e.Township, body); err != nil {
				return err
			}
			rep.Stored++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if rep.Refused > 0 {
		s.log.Warn("audit entries refused", "device", d.ID, "refused", rep.Refused)
	}
	return rep, nil
}

// auditEntryOf says whether an entry may be stored as the device's own: a
// volunteer's laptop keeps no audit log the township reads (doc.go), an
// entry names the pushing device and its township, its clock reading is
// one, and its words are bounded valid text.
func auditEntryOf(d *device, e wire.AuditEntry) bool {
	if d.Volunteer != "" || e.Device != d.ID || e.Township != d.Township {
		return false
	}
	if _, err := store.ParseHLC(e.HLC); err != nil {
		return false
	}
	for _, v := range []string{e.User, e.Action, e.Record, e.Person} {
		if len(v) > maxAuditWord || !utf8.ValidString(v) {
			return false
		}
	}
	return len(e.Detail) <= wire.MaxValueBytes && utf8.ValidString(e.Detail)
}

// maxAuditWord bounds an entry's user, action and record ids: names and
// UUIDs are far shorter.
const maxAuditWord = 200

// PullAudit returns audit entries of the device's scope after cursor,
// other devices' only.
func (s *Server) PullAudit(ctx context.Context, d *device, cursor int64) (*wire.AuditPullReply, error) {
	scope, err := s.scope(ctx, d)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT seq, device, entry FROM audit WHERE township IN (`+placeholders(len(scope))+`)
		AND seq > ? ORDER BY seq LIMIT ?`, append(anys(scope), cursor, wire.MaxAuditPage)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	rep := &wire.AuditPullReply{Next: cursor, Entries: []wire.AuditEntry{}}
	n := 0
	for rows.Next() {
		var dev string
		var body []byte
		if err := rows.Scan(&rep.Next, &dev, &body); err != nil {
			return nil, err
		}
		n++
		var e wire.AuditEntry
		if dev != d.ID && json.Unmarshal(body, &e) == nil {
			rep.Entries = append(rep.Entries, e)
		}
	}
	rep.More = n == wire.MaxAuditPage
	return rep, rows.Err()
}

func (s *Server) serveAuditPush(ctx context.Context, d *device, body []byte) (wire.Type, any, error) {
	var req wire.AuditPushRequest
	if err := wire.Unmarshal(body, wire.TypeAuditPush, &req); err != nil {
		return 0, nil, err
	}
	rep, err := s.PushAudit(context.WithoutCancel(ctx), d, req.Entries)
	return wire.TypeAuditPushReply, rep, err
}

func (s *Server) serveAuditPull(ctx context.Context, d *device, body []byte) (wire.Type, any, error) {
	var req wire.AuditPullRequest
	if err := wire.Unmarshal(body, wire.TypeAuditPull, &req); err != nil {
		return 0, nil, err
	}
	rep, err := s.PullAudit(ctx, d, req.Cursor)
	return wire.TypeAuditPullReply, rep, err
}
