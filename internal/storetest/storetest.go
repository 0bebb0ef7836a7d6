// Package storetest holds what the tests of several packages need around a
// township store: a cheap password cost, valid ID numbers, and a second
// connection to a store's file. Only tests import it. Package store's own
// tests cannot (storetest imports store) and keep their copy of FastKDF.
package storetest

import (
	"database/sql"
	"testing"

	"rehabdesk/store"
	"rehabdesk/store/valid"
)

// FastKDF is the cheapest argon2id cost: tests create many accounts, and
// store.DefaultKDF is made to be felt at every sign-in.
var FastKDF = store.KDFParams{Time: 1, Memory: 1024, Threads: 1}

// IDNumber completes a 17-character ID number body with its check digit.
func IDNumber(body string) string { return body + string(valid.CheckDigit(body)) }

// RawDB opens a second connection to the store's file, for tests that look
// at rows, or break them, behind the store's back. It is closed when the
// test ends.
func RawDB(t testing.TB, s *store.Store) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", s.Path())
	if err != nil {
		t.Fatalf("open %s: %v", s.Path(), err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
