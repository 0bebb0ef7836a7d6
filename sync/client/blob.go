package client

import (
	"context"

	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// syncBlobs moves attachment content after the records: uploads what the
// server wants, downloads what this database's attachment records name but
// lacks. Each chunk is kept as it arrives, so a cut link resumes where it
// stopped. A failure here never fails the record sync: what is still
// missing is counted in the result and tried again next time.
func syncBlobs(ctx context.Context, st *store.Store, c *conn, res *Result) {
	have, missing, err := st.BlobHashes(ctx)
	if err != nil {
		res.BlobsPending = len(missing)
		return
	}
	if err := uploadBlobs(ctx, st, c, have, res); err != nil {
		res.BlobError = err
	}
	for _, h := range missing {
		if err := downloadBlob(ctx, st, c, h); err != nil {
			res.BlobsPending++
			if !isCode(err, wire.CodeNotFound) && res.BlobError == nil { // a quota refusal above stays told
				res.BlobError = err
			}
			continue
		}
		res.BlobsReceived++
	}
}

func uploadBlobs(ctx context.Context, st *store.Store, c *conn, have []string, res *Result) error {
	have, err := st.BlobsNotUploaded(ctx, have)
	if err != nil || len(have) == 0 {
		return err
	}
	var rep wire.BlobHaveReply
	if err := c.call(ctx, wire.PathBlobHave, wire.TypeBlobHave, wire.BlobHaveRequest{Hashes: have}, wire.TypeBlobHaveReply, &rep); err != nil {
		return err
	}
	for i, w := range rep.Want {
		if err := uploadBlob(ctx, st, c, w); err != nil {
			res.BlobsPending += len(rep.Want) - i
			return err
		}
		res.BlobsSent++
	}
	// Every offered blob is now on the server (or was already, or is out of
	// its scope for good): none needs offering again.
	return st.MarkBlobsUploaded(ctx, have)
}

func uploadBlob(ctx context.Context, st *store.Store, c *conn, w wire.BlobWant) error {
	data, err := st.Blob(ctx, w.Hash)
	if err != nil {
		return err
	}
	for off := w.Offset; off < int64(len(data)); {
		end := min(off+wire.BlobChunk, int64(len(data)))
		req := wire.BlobPutRequest{Hash: w.Hash, Offset: off, Size: int64(len(data)), Data: data[off:end]}
		var rep wire.BlobPutReply
		if err := c.call(ctx, wire.PathBlobPut, wire.TypeBlobPut, req, wire.TypeBlobPutReply, &rep); err != nil {
			return err
		}
		if rep.Done {
			return nil
		}
		off = rep.Next
	}
	return nil
}

func downloadBlob(ctx context.Context, st *store.Store, c *conn, hash string) error {
	off, err := st.BlobProgress(ctx, hash)
	if err != nil {
		return err
	}
	for {
		var rep wire.BlobGetReply
		req := wire.BlobGetRequest{Hash: hash, Offset: off}
		if err := c.call(ctx, wire.PathBlobGet, wire.TypeBlobGet, req, wire.TypeBlobGetReply, &rep); err != nil {
			return err
		}
		if len(rep.Data) == 0 || rep.Size > wire.MaxBlob {
			return &wire.Error{Code: wire.CodeMalformed, Detail: "empty blob chunk"}
		}
		if err := st.AddBlobChunk(ctx, hash, off, rep.Size, rep.Data); err != nil {
			return err
		}
		off += int64(len(rep.Data))
		if off >= rep.Size {
			return nil
		}
	}
}
