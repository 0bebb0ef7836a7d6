package server

import (
	"bytes"
	"context"
	"testing"

	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// TestHostileBlobPastTheAttachmentLimit: a device declaring the largest
// size an attachment may have, whose chunks do not fall on the chunk
// size, sends a last chunk running past its declared size. The server
// must refuse that chunk: assembled, the content is larger than the app's
// 20 MB limit, and every other device of the township fails to fetch it
// on every sync (the client refuses a blob over wire.MaxBlob).
func TestHostileBlobPastTheAttachmentLimit(t *testing.T) {
	h := newHostile(t)
	data := bytes.Repeat([]byte{'x'}, wire.MaxBlob+wire.BlobChunk-1)
	hash := hashOf(data)
	h.mustAccept(h.tokA, attachment("devA", townA, "attBig", "pA", hash))
	put := func(off, end int) (int, string) {
		return h.refusal(wire.PathBlobPut, h.tokA, wire.TypeBlobPut,
			wire.BlobPutRequest{Hash: hash, Offset: int64(off), Size: wire.MaxBlob, Data: data[off:end]})
	}
	// The chunks within the limit go straight to the server's handler
	// (three hundred loopback requests take long under -race); the last
	// one, and the fetch, over HTTP.
	devA := &device{ID: "devA", Township: townA}
	off := 0
	for end := wire.BlobChunk - 1; off < wire.MaxBlob-1; off, end = end, end+wire.BlobChunk {
		req := &wire.BlobPutRequest{Hash: hash, Offset: int64(off), Size: wire.MaxBlob, Data: data[off:end]}
		if _, err := h.srv.BlobPut(context.Background(), devA, req); err != nil {
			t.Fatalf("chunk at %d within the limit: %v", off, err)
		}
	}
	if st, _ := put(off, len(data)); st == 200 {
		t.Errorf("a chunk ending %d bytes past the declared size was taken", len(data)-wire.MaxBlob)
	}
	var rep wire.BlobGetReply
	other := h.enroll("devA2", townA, false)
	if st := h.post(wire.PathBlobGet, other, wire.TypeBlobGet, wire.BlobGetRequest{Hash: hash}, wire.TypeBlobGetReply, &rep); st == 200 {
		t.Fatalf("the township is served an attachment of %d bytes, over the limit of %d", rep.Size, store.MaxAttachment)
	}
}
