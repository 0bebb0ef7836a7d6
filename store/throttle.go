package store

import (
	"math"
	"time"
)

// Sign-in throttling. A hard lock after a few failures let anyone at the
// keyboard lock the officer out; instead the first freeFailures wrong
// passwords cost nothing, and each later one doubles the wait before the
// next try, from firstDelay up to maxDelay. A right password after the
// wait clears the count.
const (
	freeFailures = 3
	firstDelay   = 2 * time.Second
	maxDelay     = 5 * time.Minute
)

// throttleDelay is the wait imposed after the given number of consecutive
// wrong passwords.
func throttleDelay(failures int) time.Duration {
	extra := failures - freeFailures
	if extra <= 0 {
		return 0
	}
	if extra > 20 {
		return maxDelay
	}
	return min(time.Duration(float64(firstDelay)*math.Pow(2, float64(extra-1))), maxDelay)
}

// ThrottledError refuses a sign-in attempted before the wait that earlier
// wrong passwords imposed has passed. It matches ErrLockedOut.
type ThrottledError struct{ Wait time.Duration }

func (e *ThrottledError) Error() string {
	return ErrLockedOut.Error() + " (" + e.Wait.Round(time.Second).String() + ")"
}

// Unwrap lets errors.Is(err, ErrLockedOut) match.
func (e *ThrottledError) Unwrap() error { return ErrLockedOut }

// MessageKey gives the translation, with the seconds to wait.
func (e *ThrottledError) MessageKey() (string, []any) {
	return "error.locked_out", []any{int(math.Ceil(e.Wait.Seconds()))}
}

// SignInDelay is the wait after the given number of consecutive wrong
// passwords, the rule the county server's workbench applies to its own
// accounts too.
func SignInDelay(failures int) time.Duration { return throttleDelay(failures) }
