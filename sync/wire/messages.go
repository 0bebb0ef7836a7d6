package wire

import (
	"crypto/sha256"
	"encoding/hex"
)

// HTTP paths of the exchanges.
const (
	PathEnroll = "/v1/enroll"
	PathPush   = "/v1/push"
	PathPull   = "/v1/pull"
	PathStatus = "/v1/status"
	// VersionHeader carries the release of the device's program on every
	// request, so the county sees which devices are out of date.
	VersionHeader = "X-RehabDesk-Version"
	// ContentType marks envelope bodies.
	ContentType = "application/x-rehabdesk-sync"
)

// EnrollRequest exchanges a one-time enrollment code for a device token.
// Township is the device database's township; it must match the code's.
type EnrollRequest struct {
	Code     string `json:"code"`
	Township string `json:"township"`
	Device   string `json:"device"`
	Label    string `json:"label,omitempty"` // host name, shown in `countyd devices`
}

// EnrollReply carries the device token, shown once and stored hashed.
type EnrollReply struct {
	Token      string   `json:"token"`
	Township   string   `json:"township"`
	County     bool     `json:"county,omitempty"` // a county-office device
	Scope      []string `json:"scope"`            // townships the device receives
	ServerTime int64    `json:"time"`
	// ExchangeKey seals this device's USB exchange files (see SealFile).
	ExchangeKey []byte `json:"xkey"`
}

// PushRequest is one page of the device's own changes, oldest first.
type PushRequest struct {
	Changes *Batch `json:"changes"`
}

// PushReply acknowledges a whole page: every change is now stored on the
// server (Accepted, or Duplicate when it already was) or refused for good
// (Rejected) — a refused change is reported, never retried forever.
type PushReply struct {
	Accepted   int         `json:"accepted"`
	Duplicate  int         `json:"duplicate,omitempty"`
	Rejected   []Rejection `json:"rejected,omitempty"`
	ServerTime int64       `json:"time"`
}

// Rejection names one refused change by its position in the page and its id.
type Rejection struct {
	Index  int    `json:"i"`
	HLC    string `json:"hlc"`
	Entity string `json:"entity"`
	Reason string `json:"reason"`
}

// PullRequest asks for changes after a cursor (a server sequence number).
type PullRequest struct {
	Cursor int64 `json:"cursor"`
	Limit  int   `json:"limit,omitempty"`
	// Mark is what the server called the feed entry at Cursor when it gave
	// that cursor (PullReply.Mark), and Pushed the clock reading of the
	// device's last change it acknowledged as stored: a server restored
	// from an older copy lacks one or the other and says Rewound.
	Mark   string `json:"mark,omitempty"`
	Pushed string `json:"pushed,omitempty"`
	// MaxBytes bounds the encoded reply (0: only Limit and MaxPullBytes):
	// a device on a link that drops asks for small pages. A page holds at
	// least one change, however large.
	MaxBytes int `json:"max_bytes,omitempty"`
}

// PullReply is one page of changes for the device's scope. Next is the
// cursor to ask from next time; More says another page is waiting.
type PullReply struct {
	Changes    *Batch `json:"changes"`
	Next       int64  `json:"next"`
	More       bool   `json:"more,omitempty"`
	ServerTime int64  `json:"time"`
	// Server and Epoch identify the server and its database's generation:
	// another epoch means the database was restored or replaced. Mark names
	// the feed entry at Next, for the next request. Rewound says the
	// request's Mark or Pushed is not in this database: the device must send
	// all its changes again and pull from the start.
	Server  string `json:"server,omitempty"`
	Epoch   string `json:"epoch,omitempty"`
	Mark    string `json:"mark,omitempty"`
	Rewound bool   `json:"rewound,omitempty"`
	// County is what the county sets for its townships, on the last page
	// of a pull: the device keeps it in place of what it had. A server
	// that predates it sends none, and the device keeps what it had.
	County *CountyFigures `json:"county,omitempty"`
}

// CountyFigures are the settings a county office makes for its townships.
type CountyFigures struct {
	// Targets are the yearly targets (年度目标) the county set: the
	// township shows them; the county compares its year to date with them.
	Targets []YearFigure `json:"targets"`
}

// YearFigure is one figure set for a year, "placement_rate" = 90 for 2026.
type YearFigure struct {
	Year  int    `json:"year"`
	Name  string `json:"name"`
	Value int    `json:"value"`
}

// MaxYearFigures bounds the targets a pull carries; a device keeps no more.
const MaxYearFigures = 500

// StatusRequest checks the token and reads the server's clock.
type StatusRequest struct {
	Cursor int64 `json:"cursor"` // the device's pull cursor, to count what waits
}

// StatusReply tells the device its scope and the server time.
type StatusReply struct {
	Township   string   `json:"township"`
	Scope      []string `json:"scope"`
	Pending    int      `json:"pending"` // changes waiting for this device
	ServerTime int64    `json:"time"`
	// ExchangeKey lets a device enrolled before exchange keys existed
	// seal its files; sent only over the authenticated link.
	ExchangeKey []byte `json:"xkey,omitempty"`
}

// FileRequest is the offline form of push + pull: every pending change of
// the device and the cursor it has pulled to.
type FileRequest struct {
	ID       string `json:"id"` // random, echoed in the reply
	Device   string `json:"device"`
	Created  int64  `json:"created"`
	Push     *Batch `json:"push"`
	PushUpTo int64  `json:"push_upto"` // local sequence of the last change pushed
	Cursor   int64  `json:"cursor"`
	// Mark and Pushed as in PullRequest: a restored server sends the feed
	// from the start and says Rewound in the reply's Pull.
	Mark   string `json:"mark,omitempty"`
	Pushed string `json:"pushed,omitempty"`
	// Attachments: content not yet known to be on the server, and the
	// hashes the device lacks.
	Blobs   []FileBlob `json:"blobs,omitempty"`
	Missing []string   `json:"missing,omitempty"`
}

// FileBlob is attachment content carried in an exchange file.
type FileBlob struct {
	Hash string `json:"hash"`
	Data []byte `json:"data"`
}

// FileReply answers a FileRequest with the ack of its push and every change
// after its cursor.
type FileReply struct {
	RequestID string     `json:"request"`
	Device    string     `json:"device"`
	PushUpTo  int64      `json:"push_upto"`
	Push      PushReply  `json:"ack"`
	Pull      PullReply  `json:"pull"`
	Stored    []string   `json:"stored,omitempty"` // hashes now held by the server
	Blobs     []FileBlob `json:"blobs,omitempty"`  // requested content the server holds
	// OverQuota: the device's daily attachment quota held back some of the
	// file's attachments (CodeQuota); they go with a later file.
	OverQuota bool `json:"over_quota,omitempty"`
}

// TokenHash is what the server stores instead of a device token.
func TokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// TokenHashHex is TokenHash in hex, for logs-free storage lookups.
func TokenHashHex(token string) string { return hex.EncodeToString(TokenHash(token)) }
