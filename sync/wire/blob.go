package wire

import "rehabdesk/store"

// Attachment content travels after the records, by SHA-256, in chunks, so
// that a photo never holds record sync back and a cut link resumes where it
// stopped.
const (
	PathBlobHave = "/v1/blob/have"
	PathBlobPut  = "/v1/blob/put"
	PathBlobGet  = "/v1/blob/get"
	// BlobChunk is the size of one chunk: ~6 s on a 2G link.
	BlobChunk = 64 << 10
	// MaxBlob bounds one attachment: what the app takes (store.MaxAttachment),
	// so the server refuses nothing the app lets an officer attach, and
	// nothing bigger.
	MaxBlob = store.MaxAttachment
	// CodeNotFound: the server does not hold that content (yet).
	CodeNotFound = "not_found"
	// CodeQuota: the device has sent as much attachment content as the
	// server takes from one device in a day; the rest waits for the next
	// day, the records are not affected.
	CodeQuota = "quota"
)

// Message types of the blob exchanges.
const (
	TypeBlobHave Type = iota + 48
	TypeBlobHaveReply
	TypeBlobPut
	TypeBlobPutReply
	TypeBlobGet
	TypeBlobGetReply
)

// BlobHaveRequest lists content the device holds.
type BlobHaveRequest struct {
	Hashes []string `json:"hashes"`
}

// BlobHaveReply lists what the server wants uploaded and from which offset.
type BlobHaveReply struct {
	Want []BlobWant `json:"want"`
}

// BlobWant is one blob the server lacks and how much of it it already has.
type BlobWant struct {
	Hash   string `json:"hash"`
	Offset int64  `json:"offset"`
}

// BlobPutRequest uploads one chunk.
type BlobPutRequest struct {
	Hash   string `json:"hash"`
	Offset int64  `json:"offset"`
	Size   int64  `json:"size"`
	Data   []byte `json:"-"` // sent raw after the message
}

// BlobPutReply says where the next chunk starts, or that the blob is whole.
type BlobPutReply struct {
	Next int64 `json:"next"`
	Done bool  `json:"done,omitempty"`
}

// BlobGetRequest asks for the chunk at an offset.
type BlobGetRequest struct {
	Hash   string `json:"hash"`
	Offset int64  `json:"offset"`
}

// BlobGetReply is one chunk and the blob's total size.
type BlobGetReply struct {
	Size int64  `json:"size"`
	Data []byte `json:"-"` // sent raw after the message
}

// RawBytes is the chunk, sent raw after the message.
func (r BlobPutRequest) RawBytes() []byte { return r.Data }

// SetRawBytes receives the chunk.
func (r *BlobPutRequest) SetRawBytes(b []byte) { r.Data = b }

// RawBytes is the chunk, sent raw after the message.
func (r BlobGetReply) RawBytes() []byte { return r.Data }

// SetRawBytes receives the chunk.
func (r *BlobGetReply) SetRawBytes(b []byte) { r.Data = b }
