package store

import (
	"errors"
	"syscall"

	"modernc.org/sqlite"
)

// SQLite result codes that mean the disk has no room left.
const (
	sqliteFull        = 13   // SQLITE_FULL: a write found no space
	sqliteIOErrShmSiz = 4874 // SQLITE_IOERR_SHMSIZE: the WAL index could not grow, at open or later
)

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
