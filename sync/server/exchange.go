package server

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"

	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// Exchange answers a request file carried from a township without a link:
// it authenticates the file by its HMAC (keyed by the device's token hash),
// applies its push in pages exactly as the network would, and returns a
// sealed reply holding the ack and every change after the device's cursor.
// Exchanging the same file twice gives the same effect as once.
func (s *Server) Exchange(ctx context.Context, file []byte) ([]byte, error) {
	if len(file) > wire.MaxFile {
		return nil, &wire.Error{Code: wire.CodeTooLarge}
	}
	msg, mac, err := wire.SplitSealed(file)
	if err != nil {
		return nil, err
	}
	var req wire.FileRequest
	if err := unmarshalFile(msg, &req); err != nil {
		return nil, err
	}
	d, key, err := s.fileDevice(ctx, req.Device)
	if err != nil {
		return nil, err
	}
	if !wire.CheckSeal(msg, mac, key) {
		s.log.Warn("exchange refused", "device", req.Device, "reason", "bad seal")
		return nil, &wire.Error{Code: wire.CodeUnauthorized, Detail: "file seal"}
	}
	rep, err := s.exchange(ctx, d, &req)
	if err != nil {
		return nil, err
	}
	out, err := wire.Marshal(wire.TypeFileReply, rep)
	if err != nil {
		return nil, err
	}
	return wire.Seal(out, key), nil
}

// unmarshalFile decodes a file message, which may be larger than a network
// message (weeks of work on one stick).
func unmarshalFile(msg []byte, req *wire.FileRequest) error {
	return wire.UnmarshalFile(msg, wire.TypeFileRequest, req)
}

// fileDevice finds the device a file claims to come from and its seal key.
func (s *Server) fileDevice(ctx context.Context, id string) (*device, []byte, error) {
	var d device
	var hash string
	var revoked int64
	err := s.db.QueryRowContext(ctx, "SELECT id, township, county, volunteer, token_hash, revoked_at FROM devices WHERE id = ?", id).
		Scan(&d.ID, &d.Township, &d.County, &d.Volunteer, &hash, &revoked)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		s.log.Warn("exchange refused", "device", id, "reason", "unknown device")
		return nil, nil, &wire.Error{Code: wire.CodeUnauthorized}
	case err != nil:
		return nil, nil, err
	case revoked != 0:
		s.log.Warn("exchange refused", "device", id, "reason", "revoked device")
		return nil, nil, &wire.Error{Code: wire.CodeRevoked}
	}
	key, err := hexKey(hash)
	return &d, key, err
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
	if rep.Stored, err = s.storeFileBlobs(ctx, d, req.Blobs); err != nil {
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
	if rep.Pull.Mark, err = feedMark(ctx, s.db, next); err != nil {
		return nil, err
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

func hexKey(h string) ([]byte, error) {
	key, err := hex.DecodeString(h)
	if err != nil || len(key) != 32 {
		return nil, errors.New("device token hash damaged")
	}
	return key, nil
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
