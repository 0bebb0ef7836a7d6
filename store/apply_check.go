package store

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// ErrBadChange is matched (errors.Is) by every BadChangeError.
var ErrBadChange = errors.New("malformed change")

// BadChangeError reports a remote change that is structurally broken: an
// unknown kind or field, a bad clock reading, bases that do not precede it.
// Such a change is skipped and reported; it never blocks the changes around
// it. Remote changes are not validated further: their values were validated
// on the device that wrote them, under the rules it had then.
type BadChangeError struct {
	Version  string // hlc@device, as far as it could be read
	EntityID string
	Reason   string
	// Ahead is set when the change was refused for being stamped this
	// far ahead of the receiving computer's clock (see clock_skew.go).
	Ahead time.Duration
}

// Device is the device that wrote the change, as far as it could be read.
func (e *BadChangeError) Device() string {
	_, dev, _ := strings.Cut(e.Version, "@")
	return dev
}

// Error describes the change and what is wrong with it.
func (e *BadChangeError) Error() string {
	return fmt.Sprintf("malformed change %s of record %s: %s", e.Version, e.EntityID, e.Reason)
}

// Unwrap lets errors.Is(err, ErrBadChange) match.
func (e *BadChangeError) Unwrap() error { return ErrBadChange }

// MessageKey gives the translation key of the error (see app/msg).
func (e *BadChangeError) MessageKey() (string, []any) {
	return "merge.error.bad_change", []any{e.Version, e.Reason}
}

// BaseSeen is a reserved key of Change.Bases on archive changes: the versions
// of every field the archiving device had, as "version=field,field,...".
// An edit newer than what the archive saw makes an "edited while archived"
// conflict. It names no field, so it never supersedes a value.
const BaseSeen = "_seen"

// Limits of a well-formed change.
const (
	maxWall        = 9999999999999 // 13 digits: what HLC.String can encode
	maxDeviceLen   = 64
	maxValueBytes  = 64 << 10
	maxBasesPerKey = 64
)

// checkChange refuses changes that cannot be merged safely; version is
// ch.Version().String().
func checkChange(ch *Change, version string) error {
	if ch == nil {
		return &BadChangeError{Reason: "no change"}
	}
	bad := func(format string, a ...any) error {
		return &BadChangeError{Version: ch.Version().String(), EntityID: ch.EntityID, Reason: fmt.Sprintf(format, a...)}
	}
	switch {
	case ch.HLC.IsZero() || ch.HLC.Wall < 0 || ch.HLC.Wall > maxWall || ch.HLC.Counter > maxCounter:
		return bad("invalid clock reading %d.%d", ch.HLC.Wall, ch.HLC.Counter)
	case ch.Device == "" || len(ch.Device) > maxDeviceLen:
		return bad("invalid device id")
	case SpecOf(ch.Kind) == nil:
		return bad("unknown kind %q", ch.Kind)
	case !validUUID(ch.EntityID):
		return bad("invalid record id")
	case ch.Township == "" || strings.Trim(ch.Township, "0123456789") != "" || len(ch.Township) > 12:
		return bad("invalid township %q", ch.Township)
	case len(ch.Fields) == 0:
		return bad("no fields")
	}
	if err := checkFields(ch); err != "" {
		return bad("%s", err)
	}
	if err := checkBases(ch, version); err != "" {
		return bad("%s", err)
	}
	return nil
}

func validUUID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}

// checkFields returns why a field of the change is unacceptable, or "".
func checkFields(ch *Change) string {
	spec := SpecOf(ch.Kind)
	for f, v := range ch.Fields {
		if _, ok := spec.Field(f); !ok && f != FieldArchived && f != FieldTownship {
			return fmt.Sprintf("%s has no field %q", ch.Kind, f)
		}
		if len(v) > maxValueBytes {
			return fmt.Sprintf("value of %s too long", f)
		}
	}
	if v := ch.Fields[FieldArchived]; v != "" && v != "1" {
		return fmt.Sprintf("invalid archive flag %q", v)
	}
	if t, ok := ch.Fields[FieldTownship]; ok && (t == "" || strings.Trim(t, "0123456789") != "") {
		return fmt.Sprintf("invalid township %q", t)
	}
	return ""
}

// CheckBases reports why a change's bases would make every device skip
// it as malformed, nil when they would not: for the county server, which
// must refuse what no device would merge, or its state and theirs part.
func CheckBases(ch *Change) error {
	if why := checkBases(ch, ch.Version().String()); why != "" {
		return &BadChangeError{Version: ch.Version().String(), EntityID: ch.EntityID, Reason: why}
	}
	return nil
}

// checkBases returns why the bases are unacceptable, or "": every base must
// name a field of the change and precede the change, as a base is a version
// the writer had seen. v is the change's version as a string.
func checkBases(ch *Change, v string) string {
	for f, bs := range ch.Bases {
		if len(bs) == 0 {
			continue // says nothing; encodings may keep or drop it
		}
		if len(bs) > maxBasesPerKey && f != BaseSeen {
			return fmt.Sprintf("too many bases for %s", f)
		}
		if f == BaseSeen {
			if _, err := parseSeen(bs); err != nil {
				return err.Error()
			}
			continue
		}
		if _, ok := ch.Fields[f]; !ok {
			return fmt.Sprintf("base for unchanged field %q", f)
		}
		for _, b := range bs {
			if _, err := ParseVersion(b); err != nil || b == "" || b >= v {
				return fmt.Sprintf("base %q of %s does not precede the change", b, f)
			}
		}
	}
	return ""
}
