package app

import (
	"bytes"
	"io"
	"sync"
)

// Fyne logs through the standard log package, three lines an error
// ("Fyne error:  reason", "  Cause: ...", "  At: file:line"). One of its
// errors says nothing an officer or a developer can act on, and used to
// fill the terminal of every run: "Getting favorite locations", the file
// dialog asking xdg-user-dir for the Desktop, Documents, ... Videos folders
// and logging each one that a machine does not define (a fresh account, a
// server, Xvfb). ("Failed to focus object ..." was filtered too; its cause,
// a focus on a page not on the window, is fixed, and it would now point
// at a new bug.)
var quietFyneErrors = [][]byte{
	[]byte("Fyne error:  Getting favorite locations"),
}

// QuietFyneLog returns a writer for log.SetOutput that passes every log
// entry on to w except the errors in quietFyneErrors, with their Cause and
// At lines. The log package writes each entry in one Write call.
func QuietFyneLog(w io.Writer) io.Writer { return &fyneLogFilter{w: w} }

type fyneLogFilter struct {
	mu       sync.Mutex
	w        io.Writer
	dropping bool // the last entry was a quiet error: drop its Cause and At
}

func (f *fyneLogFilter) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if quietError(p) || f.dropping && (bytes.Contains(p, []byte("  Cause: ")) || bytes.Contains(p, []byte("  At: "))) {
		f.dropping = true
		return len(p), nil
	}
	f.dropping = false
	return f.w.Write(p)
}

func quietError(p []byte) bool {
	for _, q := range quietFyneErrors {
		if bytes.Contains(p, q) {
			return true
		}
	}
	return false
}
