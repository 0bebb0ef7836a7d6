package server

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding"
	"encoding/hex"
	"errors"
	"hash"

	"rehabdesk/sync/wire"
)

// proofProgress is how far the device has streamed content the server
// already holds, with the SHA-256 state of what it sent.
func (s *Server) proofProgress(ctx context.Context, d *device, h string) (int64, hash.Hash, error) {
	var next int64
	var state []byte
	sum := sha256.New()
	err := s.db.QueryRowContext(ctx, "SELECT next, state FROM blob_proofs WHERE hash = ? AND device = ?", h, d.ID).Scan(&next, &state)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, sum, nil
	}
	if err != nil {
		return 0, nil, err
	}
	return next, sum, sum.(encoding.BinaryUnmarshaler).UnmarshalBinary(state)
}

// proveChunk takes one chunk of content the server holds under other
// records: it is hashed, not stored; when the whole content hashes right,
// the device's records naming it are backed.
func (s *Server) proveChunk(ctx context.Context, d *device, req *wire.BlobPutRequest) (*wire.BlobPutReply, error) {
	next, sum, err := s.proofProgress(ctx, d, req.Hash)
	if err != nil || req.Offset != next {
		return &wire.BlobPutReply{Next: next}, err
	}
	if err := s.chargeUpload(ctx, d, int64(len(req.Data))); err != nil {
		return nil, err
	}
	var size int64
	if err := s.db.QueryRowContext(ctx, "SELECT size FROM blobs WHERE hash = ?", req.Hash).Scan(&size); err != nil {
		return nil, err
	}
	sum.Write(req.Data)
	next += int64(len(req.Data))
	if next < size && len(req.Data) > 0 {
		state, _ := sum.(encoding.BinaryMarshaler).MarshalBinary()
		_, err := s.db.ExecContext(ctx, `INSERT INTO blob_proofs(hash, device, next, state) VALUES(?,?,?,?)
			ON CONFLICT(hash, device) DO UPDATE SET next = excluded.next, state = excluded.state`, req.Hash, d.ID, next, state)
		return &wire.BlobPutReply{Next: next}, err
	}
	if _, err := s.db.ExecContext(ctx, "DELETE FROM blob_proofs WHERE hash = ? AND device = ?", req.Hash, d.ID); err != nil {
		return nil, err
	}
	if next != size || hex.EncodeToString(sum.Sum(nil)) != req.Hash {
		s.log.Warn("attachment proof discarded", "device", d.ID, "reason", "hash mismatch")
		return nil, &wire.Error{Code: wire.CodeMalformed, Detail: "blob hash"}
	}
	return &wire.BlobPutReply{Next: next, Done: true}, s.markBacked(ctx, d, req.Hash)
}
