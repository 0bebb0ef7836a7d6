package wire

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
)

// Magic starts every message; Version is the protocol version this build
// speaks. A new incompatible message layout takes a new version, and a
// message of another version is refused whole with ErrVersion, never half
// understood.
//
// Version 2 (this one) packs record ids as steps from the previous id and
// lists implied values as gaps (ids.go, batch.go); version 1 sent ids as
// 10 packed bytes each. Only batches changed, but they travel in pulls,
// pushes and files alike, so the whole protocol moves to 2.
//
// Refusals (TypeError) are the exception: ErrorReply has kept the layout of
// version 1, so they are written as version 1 and read in any version up to
// this one. A device and a server of different versions thus each read the
// other's "version" refusal and say so, instead of retrying a reply they
// cannot decode.
const (
	Magic        = "RDSY"
	Version      = 2
	errorVersion = 1
)

// Type says which message an envelope holds, so that a reply can never be
// mistaken for a request or one file for another.
type Type byte

// Message types.
const (
	TypeError Type = iota + 1
	TypeEnrollRequest
	TypeEnrollReply
	TypePushRequest
	TypePushReply
	TypePullRequest
	TypePullReply
	TypeStatusRequest
	TypeStatusReply
	TypeFileRequest
	TypeFileReply
)

const headerLen = len(Magic) + 2

// gzipLevel: on the pages of a 10,000-person initial pull, level 7 gave
// 1 % more bytes than level 9 (423.6 against 419.1 KB) in a fifth to a
// quarter of the time (0.2 against 0.9-1.2 s for the whole pull, on a
// loaded machine); level 6 gave 4 % more than 9. Level 9 spent most of a
// pull page's server time.
const gzipLevel = 7

// Marshal encodes a message in an envelope.
func Marshal(t Type, v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(Magic)
	if t == TypeError {
		buf.WriteByte(errorVersion)
	} else {
		buf.WriteByte(Version)
	}
	buf.WriteByte(byte(t))
	zw, err := gzip.NewWriterLevel(&buf, gzipLevel)
	if err != nil {
		return nil, err
	}
	if err := json.NewEncoder(zw).Encode(v); err != nil {
		return nil, fmt.Errorf("encode %T: %w", v, err)
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	if r, ok := v.(rawGetter); ok {
		buf.Write(r.RawBytes())
	}
	return buf.Bytes(), nil
}

// PeekType reads the message type of an envelope without decoding it.
func PeekType(data []byte) (Type, error) {
	if len(data) < headerLen || string(data[:len(Magic)]) != Magic {
		return 0, fmt.Errorf("%w: not a RehabDesk sync message", ErrMalformed)
	}
	v, t := data[len(Magic)], Type(data[len(Magic)+1])
	if v != Version && (t != TypeError || v < errorVersion || v > Version) {
		return 0, fmt.Errorf("%w: version %d, this build speaks %d", ErrVersion, v, Version)
	}
	return t, nil
}

// Unmarshal decodes an envelope of the expected type into v, within the
// type's bounds (LimitOf). Truncated, damaged, oversized or trailing data
// is refused with ErrMalformed or ErrTooLarge; nothing is returned
// half-decoded.
func Unmarshal(data []byte, want Type, v any) error {
	return unmarshal(data, want, v, LimitOf(want))
}

// UnmarshalFile is Unmarshal with the larger limits of exchange files, which
// may carry weeks of work.
func UnmarshalFile(data []byte, want Type, v any) error {
	return unmarshal(data, want, v, Limit{Body: MaxFile, Inflated: 4 * MaxFile})
}

// Messages that carry raw bytes after their JSON (attachment chunks:
// already-compressed photos would only grow as gzip'd base64).
type (
	rawGetter interface{ RawBytes() []byte }
	rawSetter interface{ SetRawBytes([]byte) }
)

func unmarshal(data []byte, want Type, v any, lim Limit) error {
	if len(data) > lim.Body {
		return ErrTooLarge
	}
	got, err := PeekType(data)
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("%w: message type %d, want %d", ErrMalformed, got, want)
	}
	plain, tail, err := inflate(data[headerLen:], lim)
	if err != nil {
		return err
	}
	raw, carries := v.(rawSetter)
	if len(tail) > 0 && !carries {
		return fmt.Errorf("%w: trailing data", ErrMalformed)
	}
	dec := json.NewDecoder(bytes.NewReader(plain))
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if dec.More() {
		return fmt.Errorf("%w: trailing data", ErrMalformed)
	}
	if carries {
		raw.SetRawBytes(tail)
	}
	return nil
}

// inflate gunzips at most lim.Inflated bytes holding at most lim.Values
// JSON values, counting them as the stream inflates so that a bomb is
// refused after its first few hundred kilobytes; gzip's CRC and length
// check catch truncation and damage when the stream ends.
func inflate(z []byte, lim Limit) (plain, tail []byte, err error) {
	br := bytes.NewReader(z)
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	zr.Multistream(false)
	vc := valueCounter{max: lim.Values}
	var buf bytes.Buffer
	chunk := make([]byte, 32<<10)
	for {
		n, err := zr.Read(chunk)
		if buf.Len()+n > lim.Inflated {
			return nil, nil, ErrTooLarge
		}
		if cerr := vc.count(chunk[:n]); cerr != nil {
			return nil, nil, cerr
		}
		buf.Write(chunk[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
	}
	// bytes.Reader is an io.ByteReader, so gzip reads no further than its
	// stream: what is left follows the message.
	return buf.Bytes(), z[len(z)-br.Len():], nil
}
