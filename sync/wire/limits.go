package wire

import "fmt"

// Limit bounds what one message of a type may cost its receiver. gzip
// inflates up to about a thousandfold and JSON decoding multiplies again
// (two bytes "0," become an 8-byte int, and a slice grows by doubling), so
// a small body may not say how much it will cost: each bound is checked
// before the step it guards, and a message past one is refused whole.
type Limit struct {
	Body     int // bytes of the envelope as received
	Inflated int // bytes of its JSON once gunzipped
	// Values bounds the JSON values (array entries, object members) the
	// message may hold, counted before decoding; 0: no count.
	Values int
}

// MaxPushBytes is about how many bytes of field values one push page
// carries at most: a device ends a page early past it (a page of long
// notes), so the server can refuse anything much bigger unread.
const MaxPushBytes = 4 << 20

// Bounds of the small requests: a cursor, a hash and an offset, a code.
var (
	smallLimit   = Limit{Body: 4 << 10, Inflated: 4 << 10, Values: 32}
	defaultLimit = Limit{Body: MaxMessage, Inflated: MaxInflated}
)

// limits are the bounds of each request a server receives. A push page is
// MaxPushPage changes of at most some 500 values each (a change lists its
// clock, device, kind, record, township, person and user, then a name,
// value and base count per field and three numbers per base version), and
// MaxPushBytes of values with one change of long notes past it. Replies
// and exchange files are read by a device or an operator, who asked for
// them: they keep the general bounds.
var limits = map[Type]Limit{
	TypeEnrollRequest: smallLimit,
	TypeStatusRequest: smallLimit,
	TypePullRequest:   smallLimit,
	TypeAuditPull:     smallLimit,
	TypeBlobGet:       smallLimit,
	TypeBlobPut:       {Body: BlobChunk + 4<<10, Inflated: 4 << 10, Values: 32},
	TypeBlobHave:      {Body: 256 << 10, Inflated: 256 << 10, Values: MaxAuditPage + 32},
	TypePushRequest:   {Body: MaxMessage, Inflated: 4 * MaxPushBytes, Values: MaxPushPage * 512},
	TypeAuditPush:     {Body: MaxMessage, Inflated: 4 * MaxPushBytes, Values: MaxAuditPage * 16},
}

// LimitOf returns the bounds of a message type.
func LimitOf(t Type) Limit {
	if l, ok := limits[t]; ok {
		return l
	}
	return defaultLimit
}

// valueCounter refuses JSON holding more than max values (0: any number),
// counting one per array or object and one per comma outside strings (an
// upper bound), so that a flat array of millions of zeros is refused
// before any of it is decoded. It reads the text in pieces, as inflated.
type valueCounter struct {
	max, n            int
	inString, escaped bool
}

func (vc *valueCounter) count(data []byte) error {
	if vc.max <= 0 {
		return nil
	}
	for _, c := range data {
		switch {
		case vc.escaped:
			vc.escaped = false
		case vc.inString:
			vc.escaped = c == '\\'
			vc.inString = c != '"'
		case c == '"':
			vc.inString = true
		case c == ',' || c == '[' || c == '{':
			if vc.n++; vc.n > vc.max {
				return fmt.Errorf("%w: more than %d values", ErrTooLarge, vc.max)
			}
		}
	}
	return nil
}
