// Package wire defines the sync protocol between a township device and the
// county server: the messages, how they are encoded, and the limits both
// sides enforce. It is independent of the transport — the same bytes go in
// an HTTP body or in a file carried on a USB stick.
//
// # Encoding
//
// Every message is an envelope: the 4-byte magic "RDSY", a protocol version
// byte, a message-type byte, then a gzip stream of one JSON object. gzip's
// CRC rejects truncated or damaged payloads; the body, its inflated size and
// the count of JSON values are bounded per message type (LimitOf) and checked
// before decoding, so a small bomb cannot exhaust memory. A version the receiver
// does not know is refused with ErrVersion rather than half understood
// (envelope.go: refusals themselves stay readable across versions).
//
// Changes travel as a Batch: columns instead of rows, with one string table
// for device ids, kinds, townships, user names and field names. Values are
// grouped by field, so gzip sees all names together, all ID numbers
// together, all addresses together, which compresses far better than
// row-by-row JSON (see BENCHMARKS.md, "Sync"). Clock readings are sent as
// deltas, base versions relative to their change, record ids as steps from
// the previous id (ids.go), and values implied by others not at all
// (implied.go).
//
// # Exchanges
//
//	POST /v1/enroll  EnrollRequest  -> EnrollReply     one-time code -> device token
//	POST /v1/push    PushRequest    -> PushReply       a page of local changes
//	POST /v1/pull    PullRequest    -> PullReply       a page of the township's changes
//	POST /v1/status  StatusRequest  -> StatusReply     token check and server time
//	POST /v1/audit/push, /v1/audit/pull                the audit log, own cursors
//	POST /v1/blob/have, /v1/blob/put, /v1/blob/get     attachment content in chunks
//
// Attachment chunks travel raw after their message's gzip stream (see
// envelope.go): photos are compressed already.
//
// Requests other than enroll carry "Authorization: Bearer TOKEN". Errors come
// back as an ErrorReply envelope with a stable Code. Offline, a FileRequest
// (push + pull cursor) is written to a file and a FileReply (ack + changes)
// comes back; both are encrypted and authenticated whole (fileseal.go)
// under the device's exchange key, which the server derives from its key
// file and gives the device at enrollment.
//
// # Guarantees the messages are built for
//
// A change is identified by (HLC, device). The server stores each once, so
// a push repeated after a lost reply is acknowledged again without
// duplicating anything. The device moves its push cursor only after an
// acknowledgement and its pull cursor in the same transaction as the
// changes it applies, so an interruption at any point means a repeat, never
// a gap.
package wire
