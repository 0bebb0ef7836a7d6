package server

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"

	"rehabdesk/internal/pgtest"
)

// The server stores in SQLite or PostgreSQL. Every test opens its server
// through testDB, on the backend the run asks for: SQLite by default, and
// PostgreSQL for the whole suite with COUNTYD_TEST_PG=1 (make test-pg).
// The tests that guard pushing, pulling, authorization, several servers on
// one database and migration run on both backends in every run
// (eachBackend), so a default `make test` checks PostgreSQL too.

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.StopShared()
	os.Exit(code)
}

type backend string

const (
	onSQLite   backend = "sqlite"
	onPostgres backend = "postgres"
)

// backendOf is the backend a test's servers use: PostgreSQL in a
// subtest eachBackend made for it, or in a COUNTYD_TEST_PG=1 run.
func backendOf(t testing.TB) backend {
	switch {
	case strings.HasSuffix(t.Name(), "/"+string(onSQLite)):
		return onSQLite
	case strings.HasSuffix(t.Name(), "/"+string(onPostgres)), os.Getenv("COUNTYD_TEST_PG") == "1":
		return onPostgres
	}
	return onSQLite
}

// eachBackend runs a test on SQLite and on PostgreSQL, as subtests named
// after the backend; helpers called with the subtest's t (newFixture,
// openTest) open their servers on its backend.
func eachBackend(t *testing.T, test func(t *testing.T, b backend)) {
	for _, b := range []backend{onSQLite, onPostgres} {
		t.Run(string(b), func(t *testing.T) { test(t, b) })
	}
}

// testDB is one server database of a test, which can be opened again.
type testDB struct {
	dir string // key file (and SQLite file) folder
	pg  string // PostgreSQL connection string; "" for SQLite
}

func newTestDB(t testing.TB, b backend) testDB {
	t.Helper()
	d := testDB{dir: t.TempDir()}
	if b == onPostgres {
		d.pg = pgtest.Database(t)
	}
	return d
}

// open opens the server; the key file defaults to one in the test's folder.
func (d testDB) open(ctx context.Context, opt Options) (*Server, error) {
	if opt.KeyFile == "" {
		opt.KeyFile = filepath.Join(d.dir, "c.db.key")
	}
	if d.pg != "" {
		return OpenPostgres(ctx, d.pg, opt)
	}
	return Open(ctx, filepath.Join(d.dir, "c.db"), opt)
}

// openTest opens a server on a new database of the run's backend and
// closes it at the end of the test.
func openTest(t testing.TB, opt Options) *Server {
	t.Helper()
	return openTestOn(t, backendOf(t), opt)
}

func openTestOn(t testing.TB, b backend, opt Options) *Server {
	t.Helper()
	srv, err := newTestDB(t, b).open(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// newFixtureOn is newFixture on a given backend.
func newFixtureOn(t *testing.T, b backend) *fixture {
	t.Helper()
	return fixtureFor(t, openTestOn(t, b, Options{}))
}

// fixtureFor serves srv on loopback with townships A and B added.
func fixtureFor(t *testing.T, srv *Server) *fixture {
	t.Helper()
	ctx := context.Background()
	for _, c := range []string{townA, townB} {
		if err := srv.AddTownship(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return &fixture{t: t, srv: srv, url: hs.URL}
}

// TestCoreSuiteOnPostgres runs, on PostgreSQL, the tests that guard
// pushing, pulling, routing, authorization, attachments, the audit log and
// enrolment, in every run; they run on SQLite as themselves. make test-pg
// runs every test on PostgreSQL.
func TestCoreSuiteOnPostgres(t *testing.T) {
	if os.Getenv("COUNTYD_TEST_PG") == "1" {
		t.Skip("this run puts every test on PostgreSQL")
	}
	for _, test := range []func(*testing.T){
		TestRefusedChangesDoNotBlockThePage, TestRepeatedPushStoresNothingTwice,
		TestTransferMovesHistoryAndLateEditsFollow, TestCountyDeviceSeesTheCountyAndCannotPush,
		TestHostileRenameThroughOwnPersonID, TestHostileTownshipFieldDoesNotStealAPerson,
		TestHostileBlobByHashAcrossTownships, TestHostileVolunteerGetsNoFullIDNumber,
		TestRefusalsDoNotTellWhetherAnIDExists, TestReenrollWithACodeForThatDevice,
		TestHostileAuditEntriesAreRefused, TestPullMarkTellsNothingOfAnotherTownshipsFeed,
		TestHostileAttachmentLinkedToAnotherPersonsEvent, TestHostileValuesAreRefused, TestHostileLinksAreRefused,
		TestHostileLateEditsOfATransferredPerson,
		TestCombinedPersonsRecordsFollowTheKeptPerson, TestRecordRelinkedToAnAssignedPersonReachesTheirVolunteerWhole,
		TestHostileChangesEveryDeviceSkipsAreRefused,
	} {
		name := runtime.FuncForPC(reflect.ValueOf(test).Pointer()).Name()
		t.Run(name[strings.LastIndex(name, ".")+1:], func(t *testing.T) { t.Run(string(onPostgres), test) })
	}
}

// A SQLite migration without its PostgreSQL counterpart (a table added for
// SQLite alone) fails this test, in every run, and stops a PostgreSQL
// server from opening.
func TestEveryMigrationHasAPostgresCounterpart(t *testing.T) {
	if _, err := pgMigrationSet(); err != nil {
		t.Fatal(err)
	}
	one := func(names ...string) fstest.MapFS {
		fsys := fstest.MapFS{}
		for _, n := range names {
			fsys["migrations/"+n] = &fstest.MapFile{Data: []byte("SELECT 1;")}
		}
		return fsys
	}
	for _, c := range []struct{ lite, pg fstest.MapFS }{
		{one("0001_a.sql", "0002_b.sql"), one("0001_a.sql")},
		{one("0001_a.sql"), one("0001_a.sql", "0002_b.sql")},
		{one("0001_a.sql", "0002_b.sql"), one("0001_a.sql", "0002_c.sql")},
	} {
		if _, err := pairedMigrations(c.lite, c.pg); err == nil {
			t.Errorf("SQLite %v and PostgreSQL %v accepted as a pair", c.lite, c.pg)
		}
	}
	if _, err := pairedMigrations(one("0001_a.sql"), one("0001_a.sql")); err != nil {
		t.Fatal(err)
	}
}
