package wire

import (
	"errors"
	"fmt"
	"net/http"
)

// Limits both sides enforce. A 2G link moves about 10 KB/s, so pages are
// sized to finish in well under a minute and a lost connection costs little.
const (
	MaxMessage  = 8 << 20  // bytes of one encoded message (request or reply)
	MaxInflated = 64 << 20 // bytes of one message once gunzipped
	MaxFile     = 256 << 20
	MaxPushPage = 500 // changes in one push
	// MaxPullPage changes in one pull reply: about 100 KB of a ledger
	// import (ten seconds on 2G); bigger pages compress better (a
	// 10,000-person initial pull: 452 KB in pages of 2,000, 419 KB in
	// pages of 5,000) and take fewer round trips.
	MaxPullPage = 5000
	// MaxPullBytes bounds the change payloads of one pull reply, so that
	// a page of long notes still fits MaxMessage (the page ends early).
	MaxPullBytes  = 4 << 20
	MaxValueBytes = 64 << 10
)

// Sentinel errors of decoding.
var (
	ErrMalformed = errors.New("malformed sync message")
	ErrTooLarge  = errors.New("sync message too large")
	ErrVersion   = errors.New("unsupported sync protocol version")
)

// Error codes carried in an ErrorReply; stable strings, each with a
// translation "sync.error.<code>".
const (
	CodeMalformed        = "malformed"
	CodeTooLarge         = "too_large"
	CodeVersion          = "version"
	CodeUnauthorized     = "unauthorized"
	CodeRevoked          = "revoked"
	CodeCodeInvalid      = "code_invalid"
	CodeCodeUsed         = "code_used"
	CodeCodeExpired      = "code_expired"
	CodeTownshipMismatch = "township_mismatch"
	CodeDeviceTaken      = "device_taken" // enrolling under an enrolled device's id
	CodeRateLimited      = "rate_limited"
	CodeReadOnly         = "read_only"
	CodeServer           = "server"
	CodeBadFile          = "bad_file" // an exchange file fails its seal
	// CodeClockAhead: a pushed change is stamped too far ahead of the
	// server's clock; the page is refused whole and stays pending.
	CodeClockAhead = "clock_ahead"
)

// ErrorReply is what the server sends instead of a reply when it refuses a
// request. Detail is for logs and never holds personal data.
type ErrorReply struct {
	Code   string `json:"code"`
	Detail string `json:"detail,omitempty"`
	// ServerTime lets a device refused for its clock say how far off its
	// own clock is; absent from servers before it was added.
	ServerTime int64 `json:"time,omitempty"`
}

// Error is a refusal by the other side (or a local decoding failure) with a
// stable code; it implements the translated-message interface of app/msg.
type Error struct {
	Code   string
	Detail string
}

func (e *Error) Error() string {
	if e.Detail == "" {
		return "sync refused: " + e.Code
	}
	return fmt.Sprintf("sync refused: %s (%s)", e.Code, e.Detail)
}

// MessageKey names the translation of the refusal.
func (e *Error) MessageKey() (string, []any) { return "sync.error." + e.Code, nil }

// Status is the HTTP status a refusal is sent with.
func (e *Error) Status() int {
	switch e.Code {
	case CodeUnauthorized, CodeRevoked:
		return http.StatusUnauthorized
	case CodeCodeInvalid, CodeCodeUsed, CodeCodeExpired, CodeTownshipMismatch, CodeReadOnly, CodeDeviceTaken:
		return http.StatusForbidden
	case CodeTooLarge:
		return http.StatusRequestEntityTooLarge
	case CodeClockAhead:
		return http.StatusConflict
	case CodeNotFound:
		return http.StatusNotFound
	case CodeRateLimited, CodeQuota:
		return http.StatusTooManyRequests
	case CodeServer:
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}

// Temporary reports whether retrying later may succeed.
func (e *Error) Temporary() bool { return e.Code == CodeServer || e.Code == CodeRateLimited }

// AsError turns a decoding error into a coded Error.
func AsError(err error) *Error {
	var we *Error
	switch {
	case errors.As(err, &we):
		return we
	case errors.Is(err, ErrTooLarge):
		return &Error{Code: CodeTooLarge}
	case errors.Is(err, ErrVersion):
		return &Error{Code: CodeVersion, Detail: err.Error()}
	case errors.Is(err, ErrMalformed):
		return &Error{Code: CodeMalformed, Detail: err.Error()}
	}
	return &Error{Code: CodeServer, Detail: err.Error()}
}
