package store

import (
	"errors"
	"syscall"

	"modernc.org/sqlite"
)

// SQLite result codes that mean the disk has no room left, or another
// writer kept the database past the busy timeout.
const (
	sqliteBusy        = 5    // SQLITE_BUSY
	sqliteFull        = 13   // SQLITE_FULL: a write found no space
	sqliteIOErrShmSiz = 4874 // SQLITE_IOERR_SHMSIZE: the WAL index could not grow, at open or later
)

// IsBusy reports whether err is a write that gave up waiting for another
// writer of the database (another window, a command-line import): nothing
// of it was saved, and trying again later works.
func IsBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqliteBusy
}

// IsDiskFull reports whether err comes from a full disk. Opening a
// database on a full disk fails with "disk I/O error (4874)": SQLite
// cannot size the shared-memory file of the WAL, and nothing in the text
// says why.
func IsDiskFull(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, syscall.ENOSPC) {
		return true
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqliteFull || se.Code() == sqliteIOErrShmSiz
	}
	return false
}
