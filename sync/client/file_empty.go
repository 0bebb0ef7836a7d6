package client

import (
	"fmt"
	"os"
)

// ErrEmptyFile means an exchange file has no bytes at all: a copy to or
// from the USB stick that never finished, most often. It says so instead
// of calling the file damaged, so that the officer asks for the file again
// rather than suspecting tampering.
var ErrEmptyFile = &Error{"empty_file", "the exchange file is empty"}

// CheckNotEmpty refuses an exchange file of zero bytes before it is read.
func CheckNotEmpty(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if fi.Size() == 0 {
		return fmt.Errorf("%s: %w", path, ErrEmptyFile)
	}
	return nil
}

// ChangesSent is how many local changes the server answered for: stored,
// already had, or refused. The summary says "sent N (of which M already on
// the server)", so N counts them all; Pushed alone is only the first kind.
func (r Result) ChangesSent() int { return r.Pushed + r.Duplicates + len(r.Rejected) }
