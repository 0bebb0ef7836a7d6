package valid_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"rehabdesk/store/valid"
)

// today is the fixed "now" the ID tests measure birth dates against.
var today = time.Date(2025, 6, 15, 14, 30, 0, 0, time.UTC)

// isoCheck computes the ISO 7064 MOD 11-2 check character from first
// principles (weight 2^k mod 11), independently of the table in id.go.
func isoCheck(body string) byte {
	sum, w := 0, 1
	for i := 16; i >= 0; i-- {
		w = w * 2 % 11
		sum += int(body[i]-'0') * w
	}
	c := (12 - sum%11) % 11
	if c == 10 {
		return 'X'
	}
	return byte('0' + c)
}

// mkID appends the correct check character to a 17-digit body.
func mkID(body string) string {
	return body + string(isoCheck(body))
}

// wrongCheck returns a 17-digit body plus a check character that is wrong.
func wrongCheck(body string) string {
	good := isoCheck(body)
	for _, c := range []byte("7319X") {
		if c != good {
			return body + string(c)
		}
	}
	panic("unreachable")
}

// fullWidth converts ASCII digits and letters to their full-width forms,
// as a Chinese input method types them.
func fullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r > ' ' && r < 0x7f {
			return r - '!' + '！'
		}
		return r
	}, s)
}

// date is a UTC midnight shorthand.
func date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// wantCode fails unless err is a *valid.Error with the given code and
// field; code "" means err must be nil.
func wantCode(t *testing.T, err error, field, code string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	var ve *valid.Error
	if !errors.As(err, &ve) {
		t.Fatalf("error = %v (%T), want *valid.Error with code %q", err, err, code)
	}
	if ve.Code != code || ve.Field != field {
		t.Fatalf("error = %+v, want field %q code %q", ve, field, code)
	}
}
