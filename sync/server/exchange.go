package server

import (
	"context"
	"database/sql"
	"errors"

	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// Exchange answers a request file carried from a township without a link:
// it opens the file's seal with the device's exchange key (derived from the
// key file, see sealer.exchangeKey) before reading anything inside, applies
// its push in pages exactly as the network would, and returns a reply
// sealed the same way holding the ack and every change after the device's
// cursor. Exchanging the same file twice gives the same effect as once.
func (s *Server) Exchange(ctx context.Context, file []byte) ([]byte, error) {
	if len(file) > wire.MaxFile {
		return nil, &wire.Error{Code: wire.CodeTooLarge}
	}
	d, key, msg, err := s.openFile(ctx, file)
	if err != nil {
		return nil, err
	}
	var req wire.FileRequest
	if err := wire.UnmarshalFile(msg, wire.TypeFileRequest, &req); err != nil {
		return nil, err
	}
	if req.Device != d.ID {
		return nil, s.badFile(d.ID, "device differs from seal")
	}
	rep, err := s.exchange(ctx, d, &req)
	if err != nil {
		return nil, err
	}
	out, err := wire.Marshal(wire.TypeFileReply, rep)
	if err != nil {
		return nil, err
	}
	return wire.SealFile(key, wire.FileToDevice, d.ID, out)
}

// openFile finds the device a file names and checks the file's seal with
// that device's exchange key. Every fault of the file itself gives the same
// refusal; a revoked device is refused only once its seal is proven.
func (s *Server) openFile(ctx context.Context, file []byte) (d *device, key, msg []byte, err error) {
	id, err := wire.FileDevice(file)
	if err != nil {
		return nil, nil, nil, s.badFile("", "no sealed header")
	}
	d, hash, revoked, err := s.fileDevice(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	if d == nil {
		return nil, nil, nil, s.badFile(id, "unknown device")
	}
	d.tokenHash = hash
	key = s.exchangeKey(d)
	if msg, err = wire.OpenFile(key, wire.FileToServer, file); err != nil {
		return nil, nil, nil, s.badFile(id, "bad seal")
	}
	if revoked {
		s.log.Warn("exchange refused", "device", id, "reason", "revoked device")
		return nil, nil, nil, &wire.Error{Code: wire.CodeRevoked}
	}
	return d, key, msg, nil
}

// badFile logs and makes the one refusal of a file that is not a sound
// request of a device enrolled here.
func (s *Server) badFile(device, reason string) error {
	s.log.Warn("exchange refused", "device", device, "reason", reason)
	return &wire.Error{Code: wire.CodeBadFile, Detail: wire.ErrBadFile.Error()}
}

// fileDevice reads the device a file claims to come from; nil when unknown.
func (s *Server) fileDevice(ctx context.Context, id string) (*device, string, bool, error) {
	var d device
	var hash string
	var revoked int64
	err := s.db.QueryRowContext(ctx, "SELECT id, township, county, volunteer, token_hash, revoked_at FROM devices WHERE id = ?", id).
		Scan(&d.ID, &d.Township, &d.County, &d.Volunteer, &hash, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", false, nil
	}
	if err != nil {
		return nil, "", false, err
	}
	return &d, hash, revoked != 0, nil
}

func (s *Server) exchange(ctx context.Context, d *device, req *wire.FileRequest) (*wire.FileReply, error) {
	changes, err := req.Push.Changes()
	if err != nil {
		return nil, err
	}
	rep := &wire.FileReply{RequestID: req.ID, Device: d.ID, PushUpTo: req.PushUpTo}
	rewound, why, err := s.rewound(ctx, d, &wire.PullRequest{Cursor: req.Cursor, Mark: req.Mark, Pushed: req.Pushed})
	if err != nil {
		return nil, err
	}
	cursor := req.Cursor
	if rewound {
		s.log.Warn("exchange file finds the server behind what the device was told: database restored from an older copy? the whole feed goes back",
			"device", d.ID, "township", d.Township, "why", why, "cursor", req.Cursor)
		cursor = 0
	}
	if err := s.pushPages(ctx, d, changes, &rep.Push); err != nil {
		return nil, err
	}
	if rep.Stored, rep.OverQuota, err = s.storeFileBlobs(ctx, d, req.Blobs); err != nil {
		return nil, err
	}
	all, next, err := s.pullAll(ctx, d, cursor)
	if err != nil {
		return nil, err
	}
	// The device cannot ask for content named by records it has not got
	// yet: those travel with the records.
	if rep.Blobs, err = s.fileBlobs(ctx, d, append(req.Missing, attachmentHashes(all)...)); err != nil {
		return nil, err
	}
	rep.Pull = wire.PullReply{Changes: wire.EncodeChanges(all), Next: next, ServerTime: s.now().UnixMilli(),
		Server: s.gen.ID, Epoch: s.gen.Epoch, Rewound: rewound}
	if rep.Pull.Mark, err = feedMark(ctx, s.db, s.seal.key, next); err != nil {
		return nil, err
	}
	if d.Volunteer == "" {
		if rep.Pull.County, err = s.countyFigures(ctx, d); err != nil {
			return nil, err
		}
	}
	rep.Push.ServerTime = rep.Pull.ServerTime
	s.log.Info("exchange", "device", d.ID, "accepted", rep.Push.Accepted, "rejected", len(rep.Push.Rejected), "sent", len(all))
	return rep, nil
}

// pushPages applies a long push in network-sized pages, renumbering
// rejections to positions in the whole push.
func (s *Server) pushPages(ctx context.Context, d *device, changes []*store.Change, total *wire.PushReply) error {
	if d.County != "" && len(changes) > 0 {
		return &wire.Error{Code: wire.CodeReadOnly}
	}
	for start := 0; start < len(changes); start += wire.MaxPushPage {
		end := min(start+wire.MaxPushPage, len(changes))
		rep, err := s.Push(ctx, d, changes[start:end])
		if err != nil {
			return err
		}
		total.Accepted += rep.Accepted
		total.Duplicate += rep.Duplicate
		for _, r := range rep.Rejected {
			r.Index += start
			total.Rejected = append(total.Rejected, r)
		}
	}
	return nil
}

// pullAll collects every change for the device after cursor.
func (s *Server) pullAll(ctx context.Context, d *device, cursor int64) ([]*store.Change, int64, error) {
	if err := s.notePulled(ctx, d, cursor); err != nil {
		return nil, 0, err
	}
	var all []*store.Change
	for {
		page, rep, err := s.Pull(ctx, d, cursor, wire.MaxPullPage)
		if err != nil {
			return nil, 0, err
		}
		all = append(all, page...)
		cursor = rep.Next
		if !rep.More {
			return all, cursor, nil
		}
	}
}

// attachmentHashes lists the content hashes attachment changes name.
func attachmentHashes(changes []*store.Change) []string {
	var out []string
	for _, c := range changes {
		if h := c.Fields["sha256"]; c.Kind == store.KindAttachment && h != "" {
			out = append(out, h)
		}
	}
	return out
}
