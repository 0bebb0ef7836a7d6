package ledger

import (
	"fmt"

	"rehabdesk/store"
)

// StoppedError is an import that stopped part-way on an error of the
// database, a full disk most often. Each batch is one transaction, so the
// rows up to Through were handled and saved and none from Next on was:
// importing the same file again adds those (the saved rows count as
// unchanged). The general disk-full message, "nothing was saved", would
// be wrong once a batch is in.
type StoppedError struct {
	Through, Saved int // the last spreadsheet row saved; the rows handled up to it
	Next, Left     int // the first spreadsheet row not saved; the rows from it on
	Err            error
}

func stopped(r *Report, err error) *StoppedError {
	return &StoppedError{Through: r.SavedThrough, Saved: r.Done, Next: r.NextRow, Left: r.Rows - r.Done, Err: err}
}

func (e *StoppedError) Error() string {
	return fmt.Sprintf("import stopped: rows to %d saved (%d), from row %d not (%d): %v", e.Through, e.Saved, e.Next, e.Left, e.Err)
}

func (e *StoppedError) Unwrap() error { return e.Err }

// MessageKey implements app/msg's keyed interface.
func (e *StoppedError) MessageKey() (string, []any) {
	if store.IsDiskFull(e.Err) {
		return "ledger.stopped_disk_full", []any{e.Through, e.Saved, e.Next, e.Left}
	}
	return "ledger.stopped", []any{e.Through, e.Saved, e.Next, e.Left, e.Err.Error()}
}
