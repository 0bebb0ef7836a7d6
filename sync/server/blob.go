package server

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// noteBlobRef remembers which content an attachment record names.
func noteBlobRef(ctx context.Context, tx *ptx, c *store.Change) error {
	h := c.Fields["sha256"]
	if c.Kind != store.KindAttachment || h == "" {
		return nil
	}
	err := tx.exec("INSERT INTO blob_refs(hash, entity_id) VALUES(?, ?) ON CONFLICT DO NOTHING", h, c.EntityID)
	return err
}

// Who may fetch attachment content: a hash named in a record proves
// nothing (hashes of common forms are easy to compute), so content is
// served only through an attachment record of the device's scope that is
// "backed": a device of that scope sent the content, or proved it holds
// content already stored (by sending it again). blob/have answers the same
// for content another township stored as for content nobody stored.

// scopeWhere selects attachment records (alias e, person p) of a device's
// scope; volunteer devices get no attachments.
func (s *Server) scopeWhere(ctx context.Context, d *device) (string, []any, error) {
	if d.Volunteer != "" {
		return "1 = 0", nil, nil
	}
	scope, err := s.scope(ctx, d)
	return "coalesce(p.township, e.township) IN (" + placeholders(len(scope)) + ")", anys(scope), err
}

// blobRefs counts the attachment records of the device's scope naming the
// content, and how many of them are backed.
func (s *Server) blobRefs(ctx context.Context, d *device, hash string) (named, backed int, err error) {
	where, args, err := s.scopeWhere(ctx, d)
	if err != nil {
		return 0, 0, err
	}
	err = s.db.QueryRowContext(ctx, `SELECT count(*), CAST(coalesce(sum(r.backed), 0) AS BIGINT) FROM blob_refs r JOIN entities e ON e.id = r.entity_id
		LEFT JOIN entities p ON p.id = e.person_id WHERE r.hash = ? AND `+where, append([]any{hash}, args...)...).Scan(&named, &backed)
	return named, backed, err
}

// blobReadable reports whether the device may fetch the content.
func (s *Server) blobReadable(ctx context.Context, d *device, hash string) (bool, error) {
	_, backed, err := s.blobRefs(ctx, d, hash)
	return backed > 0, err
}

// blobUploadable reports whether the device may send the content: a
// township device, for a record of its township. County devices only read.
func (s *Server) blobUploadable(ctx context.Context, d *device, hash string) (bool, error) {
	if d.County != "" {
		return false, nil
	}
	named, _, err := s.blobRefs(ctx, d, hash)
	return named > 0, err
}

// markBacked records that the device's township holds the content.
func (s *Server) markBacked(ctx context.Context, d *device, hash string) error {
	where, args, err := s.scopeWhere(ctx, d)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, `UPDATE blob_refs SET backed = 1 WHERE hash = ? AND entity_id IN (
		SELECT e.id FROM entities e LEFT JOIN entities p ON p.id = e.person_id WHERE `+where+`)`, append([]any{hash}, args...)...)
	return err
}

// partsKey files the chunks of an upload under the uploading device, so
// that an unfinished upload tells no other device that someone holds the
// file, and two townships sending one file never mix their chunks.
func partsKey(hash string, d *device) string { return hash + "@" + d.ID }

// blobProgress says whether the server holds the content, else how much
// of it the device has sent.
func (s *Server) blobProgress(ctx context.Context, d *device, hash string) (done int64, whole bool, err error) {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM blobs WHERE hash = ?", hash).Scan(&n); err != nil || n > 0 {
		return 0, n > 0, err
	}
	err = s.db.QueryRowContext(ctx, "SELECT CAST(coalesce(sum(size), 0) AS BIGINT) FROM blob_parts WHERE hash = ?", partsKey(hash, d)).Scan(&done)
	return done, false, err
}

// BlobHave answers which of the device's blobs the server still wants:
// those its records name and it may not fetch yet, from where the upload
// (or the proof of content already stored) stands.
func (s *Server) BlobHave(ctx context.Context, d *device, hashes []string) (*wire.BlobHaveReply, error) {
	if len(hashes) > wire.MaxAuditPage {
		return nil, &wire.Error{Code: wire.CodeTooLarge}
	}
	rep := &wire.BlobHaveReply{Want: []wire.BlobWant{}}
	for _, h := range hashes {
		want, err := s.blobWant(ctx, d, h)
		if err != nil {
			return nil, err
		}
		if want != nil {
			rep.Want = append(rep.Want, *want)
		}
	}
	return rep, nil
}

func (s *Server) blobWant(ctx context.Context, d *device, h string) (*wire.BlobWant, error) {
	ok, err := s.blobUploadable(ctx, d, h)
	if err != nil || !ok {
		return nil, err
	}
	if ok, err := s.blobReadable(ctx, d, h); err != nil || ok {
		return nil, err
	}
	done, whole, err := s.blobProgress(ctx, d, h)
	if err != nil {
		return nil, err
	}
	if whole {
		done, _, err = s.proofProgress(ctx, d, h)
	}
	return &wire.BlobWant{Hash: h, Offset: done}, err
}

// BlobPut stores one uploaded chunk; a chunk at the wrong offset (a repeat
// after a lost reply) is ignored and the reply says where to go on.
// Content the server holds already is streamed through its hash instead,
// as proof that the device's township holds it too.
func (s *Server) BlobPut(ctx context.Context, d *device, req *wire.BlobPutRequest) (*wire.BlobPutReply, error) {
	// A chunk ends within its declared size: the size is bounded, and a
	// last chunk running past it would assemble content over the limit.
	if req.Size <= 0 || req.Size > wire.MaxBlob || len(req.Data) > wire.BlobChunk ||
		req.Offset < 0 || req.Offset+int64(len(req.Data)) > req.Size {
		return nil, &wire.Error{Code: wire.CodeTooLarge, Detail: "blob"}
	}
	if ok, err := s.blobUploadable(ctx, d, req.Hash); err != nil || !ok {
		return nil, errors.Join(err, &wire.Error{Code: wire.CodeNotFound})
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	done, whole, err := s.blobProgress(ctx, d, req.Hash)
	if err != nil {
		return nil, err
	}
	readable, err := s.blobReadable(ctx, d, req.Hash)
	switch {
	case err != nil:
		return nil, err
	case whole && readable:
		return &wire.BlobPutReply{Next: done, Done: true}, nil
	case whole:
		return s.proveChunk(ctx, d, req)
	case req.Offset != done:
		return &wire.BlobPutReply{Next: done}, nil
	}
	if err := s.chargeUpload(ctx, d, int64(len(req.Data))); err != nil {
		return nil, err
	}
	key := partsKey(req.Hash, d)
	sealed := s.seal.seal(req.Data, fmt.Sprintf("part:%s:%d", key, req.Offset))
	if _, err := s.db.ExecContext(ctx, `INSERT INTO blob_parts(hash, "offset", size, data) VALUES(?,?,?,?)`, key, req.Offset, len(req.Data), sealed); err != nil {
		return nil, err
	}
	done += int64(len(req.Data))
	if done < req.Size {
		return &wire.BlobPutReply{Next: done}, nil
	}
	if err := s.assembleBlob(ctx, key, req.Hash); err != nil {
		return nil, err
	}
	return &wire.BlobPutReply{Next: done, Done: true}, s.markBacked(ctx, d, req.Hash)
}

// assembleBlob joins the parts filed under key, checks the hash and keeps
// the blob sealed. Content that does not match its hash is dropped, to be
// sent again.
func (s *Server) assembleBlob(ctx context.Context, key, hash string) error {
	rows, err := s.db.QueryContext(ctx, `SELECT "offset", data FROM blob_parts WHERE hash = ? ORDER BY "offset"`, key)
	if err != nil {
		return err
	}
	var all []byte
	for rows.Next() {
		var off int64
		var sealed []byte
		if err := rows.Scan(&off, &sealed); err != nil {
			rows.Close()
			return err
		}
		part, err := s.seal.open(sealed, fmt.Sprintf("part:%s:%d", key, off))
		if err != nil {
			rows.Close()
			return err
		}
		all = append(all, part...)
	}
	rows.Close()
	defer s.db.ExecContext(ctx, "DELETE FROM blob_parts WHERE hash = ?", key)
	sum := sha256.Sum256(all)
	if hex.EncodeToString(sum[:]) != hash {
		s.log.Warn("attachment upload discarded", "reason", "hash mismatch")
		return &wire.Error{Code: wire.CodeMalformed, Detail: "blob hash"}
	}
	_, err = s.db.ExecContext(ctx, "INSERT INTO blobs(hash, size, data) VALUES(?,?,?) ON CONFLICT DO NOTHING",
		hash, len(all), s.seal.seal(all, "blob:"+hash))
	if err != nil {
		return err
	}
	// Other devices' unfinished uploads of it are of no more use: they
	// prove they hold it by sending it again.
	_, err = s.db.ExecContext(ctx, "DELETE FROM blob_parts WHERE hash >= ? AND hash < ?", hash+"@", hash+"A")
	return err
}

// BlobGet returns one chunk of a blob the device may see.
func (s *Server) BlobGet(ctx context.Context, d *device, req *wire.BlobGetRequest) (*wire.BlobGetReply, error) {
	ok, err := s.blobReadable(ctx, d, req.Hash)
	if err != nil || !ok {
		return nil, errors.Join(err, &wire.Error{Code: wire.CodeNotFound})
	}
	var sealed []byte
	err = s.db.QueryRowContext(ctx, "SELECT data FROM blobs WHERE hash = ?", req.Hash).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &wire.Error{Code: wire.CodeNotFound}
	}
	if err != nil {
		return nil, err
	}
	all, err := s.seal.open(sealed, "blob:"+req.Hash)
	if err != nil {
		return nil, err
	}
	if req.Offset < 0 || req.Offset > int64(len(all)) {
		return nil, &wire.Error{Code: wire.CodeMalformed, Detail: "blob offset"}
	}
	end := min(req.Offset+wire.BlobChunk, int64(len(all)))
	return &wire.BlobGetReply{Size: int64(len(all)), Data: all[req.Offset:end]}, nil
}

func (s *Server) serveBlobHave(ctx context.Context, d *device, body []byte) (wire.Type, any, error) {
	var req wire.BlobHaveRequest
	if err := wire.Unmarshal(body, wire.TypeBlobHave, &req); err != nil {
		return 0, nil, err
	}
	rep, err := s.BlobHave(ctx, d, req.Hashes)
	return wire.TypeBlobHaveReply, rep, err
}

func (s *Server) serveBlobPut(ctx context.Context, d *device, body []byte) (wire.Type, any, error) {
	var req wire.BlobPutRequest
	if err := wire.Unmarshal(body, wire.TypeBlobPut, &req); err != nil {
		return 0, nil, err
	}
	rep, err := s.BlobPut(context.WithoutCancel(ctx), d, &req)
	return wire.TypeBlobPutReply, rep, err
}

func (s *Server) serveBlobGet(ctx context.Context, d *device, body []byte) (wire.Type, any, error) {
	var req wire.BlobGetRequest
	if err := wire.Unmarshal(body, wire.TypeBlobGet, &req); err != nil {
		return 0, nil, err
	}
	rep, err := s.BlobGet(ctx, d, &req)
	return wire.TypeBlobGetReply, rep, err
}

// maxFileBlobs bounds the attachment bytes of one exchange reply; the rest
// follows in the next exchange.
const maxFileBlobs = 64 << 20

// storeFileBlobs keeps the attachments an exchange file carries (those its
// records name, whose content matches its hash, within the device's daily
// quota), backs the device's records that name them, and returns the
// hashes the server now holds and whether the quota held some back.
func (s *Server) storeFileBlobs(ctx context.Context, d *device, blobs []wire.FileBlob) (stored []string, overQuota bool, err error) {
	for _, b := range blobs {
		ok, err := s.blobUploadable(ctx, d, b.Hash)
		if err != nil {
			return nil, false, err
		}
		sum := sha256.Sum256(b.Data)
		if !ok || len(b.Data) > wire.MaxBlob || hex.EncodeToString(sum[:]) != b.Hash {
			continue
		}
		if err := s.chargeUpload(ctx, d, int64(len(b.Data))); isCode(err, wire.CodeQuota) {
			overQuota = true
			continue
		} else if err != nil {
			return nil, false, err
		}
		if _, err := s.db.ExecContext(ctx, "INSERT INTO blobs(hash, size, data) VALUES(?,?,?) ON CONFLICT DO NOTHING",
			b.Hash, len(b.Data), s.seal.seal(b.Data, "blob:"+b.Hash)); err != nil {
			return nil, false, err
		}
		if err := s.markBacked(ctx, d, b.Hash); err != nil {
			return nil, false, err
		}
		stored = append(stored, b.Hash)
	}
	return stored, overQuota, nil
}

// fileBlobs collects requested attachments the server holds, within budget.
func (s *Server) fileBlobs(ctx context.Context, d *device, hashes []string) ([]wire.FileBlob, error) {
	var out []wire.FileBlob
	total := 0
	seen := map[string]bool{}
	for _, h := range hashes {
		if seen[h] {
			continue
		}
		seen[h] = true
		rep, err := s.BlobGet(ctx, d, &wire.BlobGetRequest{Hash: h})
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		data := rep.Data
		for int64(len(data)) < rep.Size {
			more, err := s.BlobGet(ctx, d, &wire.BlobGetRequest{Hash: h, Offset: int64(len(data))})
			if err != nil {
				return nil, err
			}
			data = append(data, more.Data...)
		}
		if total += len(data); total > maxFileBlobs {
			break
		}
		out = append(out, wire.FileBlob{Hash: h, Data: data})
	}
	return out, nil
}

func isNotFound(err error) bool { return isCode(err, wire.CodeNotFound) }

// isCode reports whether err is a refusal with that code.
func isCode(err error, code string) bool {
	var we *wire.Error
	return errors.As(err, &we) && we.Code == code
}
