package ledger

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
	"rehabdesk/store/search"
)

// importBothWays imports data into two fresh stores, with and without
// staging new persons ahead of the transactions.
func importBothWays(t *testing.T, data []byte, opt Options) (staged, direct *store.Store, rs, rd *Report) {
	t.Helper()
	staged, direct = newStore(t), newStore(t)
	rs, err := ImportBytes(context.Background(), staged, data, opt)
	if err != nil {
		t.Fatal(err)
	}
	stageRows = false
	defer func() { stageRows = true }()
	rd, err = ImportBytes(context.Background(), direct, data, opt)
	if err != nil {
		t.Fatal(err)
	}
	return staged, direct, rs, rd
}

// Staging is only a faster way to the same result: the same report (rows,
// columns, reasons, counts), the same persons and measures, the same
// number of logged changes, for messy ledgers with rejected rows, values
// set aside and duplicates, across several batches.
func TestStagedImportGivesTheSameReportAndRecords(t *testing.T) {
	for _, name := range []string{"messy.csv", "messy.xlsx"} {
		t.Run(name, func(t *testing.T) {
			data := readTestdata(t, name)
			staged, direct, rs, rd := importBothWays(t, data, Options{Batch: 3})
			if !reflect.DeepEqual(rs, rd) {
				t.Fatalf("staged report %+v\ndirect report %+v", rs, rd)
			}
			if a, b := exportCSV(t, staged), exportCSV(t, direct); !bytes.Equal(a, b) {
				t.Fatalf("exports differ:\n%s\n---\n%s", a, b)
			}
			if a, b := localChanges(t, staged), localChanges(t, direct); a != b {
				t.Fatalf("staged import logged %d changes, direct %d", a, b)
			}
		})
	}
	_, _, rs, rd := importBothWays(t, generated(t, 250, 9), Options{Batch: 120}) // several statements a flush
	if !reflect.DeepEqual(rs, rd) || rs.New != 250 {
		t.Fatalf("staged report %+v\ndirect report %+v", rs, rd)
	}
}

// A person registered while the import runs (here between two batches,
// after the next one was staged) makes that row a rejected duplicate, as
// it would have been without staging.
func TestPersonRegisteredDuringImportIsRejectedNotDoubled(t *testing.T) {
	s := newStore(t)
	data := generated(t, 60, 4)
	rows := strings.Split(string(data), "\n")
	number := strings.Split(rows[45], ",")[3]
	rep, err := ImportBytes(context.Background(), s, data, Options{Batch: 20, Progress: func(done, total int) {
		if done == 20 {
			if _, err := s.Put(context.Background(), store.KindPerson, "", map[string]string{"name": "周九", "id_number": number}); err != nil {
				t.Error(err)
			}
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	var rejected []int
	for _, p := range rep.Problems {
		if p.Severity == Rejected {
			rejected = append(rejected, p.Row)
		}
	}
	if rep.New != 59 || rep.Rejected != 1 || !reflect.DeepEqual(rejected, []int{46}) {
		t.Fatalf("new %d, rejected rows %v", rep.New, rejected)
	}
	if n := s.Search(searchAll()).Total; n != 60 {
		t.Fatalf("%d persons, want 59 imported and the one registered meanwhile", n)
	}
}

// A database error in the middle of an import (here a trigger refusing
// the 45th record) stops it: earlier batches stay, whole; the failed one
// leaves nothing; the report says how far it got.
func TestFailedBatchKeepsEarlierBatchesWhole(t *testing.T) {
	s := newStore(t)
	if _, err := storetest.RawDB(t, s).Exec(`CREATE TRIGGER disk_full BEFORE INSERT ON records
		WHEN (SELECT count(*) FROM records WHERE kind = 'person') >= 45
		BEGIN SELECT RAISE(ABORT, 'disk full'); END`); err != nil {
		t.Fatal(err)
	}
	rep, err := ImportBytes(context.Background(), s, generated(t, 100, 6), Options{Batch: 20})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err %v", err)
	}
	if rep.Done != 40 || rep.New != 40 {
		t.Fatalf("report %+v, want two whole batches", rep)
	}
	var persons, measures, changes, paused int
	db := storetest.RawDB(t, s)
	if err := db.QueryRow("SELECT count(*) FROM records WHERE kind = 'person'").Scan(&persons); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow("SELECT count(*) FROM records WHERE kind = 'measure'").Scan(&measures); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow("SELECT count(*) FROM changes WHERE kind IN ('person', 'measure')").Scan(&changes); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow("SELECT count(*) FROM index_dirty_pause").Scan(&paused); err != nil {
		t.Fatal(err)
	}
	if persons != 40 || measures != 40 || changes < 80 || paused != 0 {
		t.Fatalf("stored %d persons, %d measures, %d changes, pause rows %d", persons, measures, changes, paused)
	}
	if n := s.Search(searchAll()).Total; n != 40 {
		t.Fatalf("search finds %d persons", n)
	}
}

// Cancelling while batches are staged ahead stops at a batch boundary,
// whichever batch the cancel falls in.
func TestCancelledStagedImportStopsAtABatchBoundary(t *testing.T) {
	data := generated(t, 200, 8)
	for _, at := range []int{10, 50, 190} {
		t.Run(fmt.Sprint(at), func(t *testing.T) {
			s := newStore(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			rep, err := ImportBytes(ctx, s, data, Options{Batch: 10, Progress: func(done, total int) {
				if done == at {
					cancel()
				}
			}})
			if !errors.Is(err, context.Canceled) || rep.Done != at || rep.New != at {
				t.Fatalf("err %v, report %+v", err, rep)
			}
			if n := s.Search(searchAll()).Total; n != at {
				t.Fatalf("%d persons stored, want %d", n, at)
			}
		})
	}
}

// Staged rows are sealed as every other write: no name or ID number of the
// ledger is readable in the database file or its WAL.
func TestStagedImportLeavesNoPersonalDataInClear(t *testing.T) {
	s := newStore(t)
	data := generated(t, 300, 11)
	rep := importBytes(t, s, data)
	if rep.New != 300 {
		t.Fatalf("report %+v", rep)
	}
	var secrets []string
	for _, line := range strings.Split(string(data), "\n")[1:6] {
		cells := strings.Split(line, ",")
		secrets = append(secrets, cells[0], cells[3], cells[4]) // name, ID number, phone
	}
	for _, f := range []string{s.Path(), s.Path() + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		for _, secret := range secrets {
			if bytes.Contains(b, []byte(secret)) {
				t.Fatalf("%s holds %q in clear", f, secret)
			}
		}
	}
}

// The search index an import updates once at its end (store.IndexHold)
// lists what a rebuild from the database lists: after a first import into
// an empty store (the index built at once) and after a second one that
// adds persons and changes stored ones (merged into the index).
func TestImportLeavesTheIndexAsARebuild(t *testing.T) {
	s := newStore(t)
	first := generated(t, 300, 11)
	importBytes(t, s, first)
	sameAsRebuild(t, s)
	second := bytes.ReplaceAll(generated(t, 400, 11), []byte("低风险"), []byte("高风险"))
	rep := importBytes(t, s, second)
	if rep.New != 100 || rep.Updated == 0 {
		t.Fatalf("second import: %+v", rep)
	}
	sameAsRebuild(t, s)
}

// sameAsRebuild checks that the search index the import kept up to date
// equals one built from the records alone: another handle on the file
// signs in with the sign-in snapshot removed, so it reads every record.
func sameAsRebuild(t *testing.T, s *store.Store) {
	t.Helper()
	ctx := context.Background()
	if _, err := storetest.RawDB(t, s).ExecContext(ctx, "DELETE FROM index_snapshot"); err != nil {
		t.Fatal(err)
	}
	other, err := store.Open(ctx, s.Path(), store.Options{KDF: storetest.FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.Unlock(ctx, "officer", "secret-pass"); err != nil {
		t.Fatal(err)
	}
	q := search.Query{Sort: search.SortRisk}
	before, after := s.Search(q), other.Search(q)
	if before.Total == 0 || !reflect.DeepEqual(before, after) {
		t.Fatalf("index after import: %d entries, after a rebuild: %d (or they differ)", before.Total, after.Total)
	}
}

// A person who moved to another township keeps their file here until the
// next sync erases it, hidden from every list: importing a ledger that
// still has their row must not register them a second time.
func TestImportDoesNotDoublePersonMovedAway(t *testing.T) {
	s := newStore(t)
	data := generated(t, 30, 12)
	importBytes(t, s, data)
	ctx := context.Background()
	persons, err := s.List(ctx, store.KindPerson, store.ListFilter{})
	if err != nil || len(persons) != 30 {
		t.Fatalf("%d persons, %v", len(persons), err)
	}
	moved := persons[7]
	if err := s.TransferPerson(ctx, moved.ID, "520102017"); err != nil {
		t.Fatal(err)
	}
	rep, err := ImportBytes(ctx, s, data, Options{})
	if err != nil {
		t.Fatalf("second import: %v", err)
	}
	if rep.New != 0 || rep.Rejected != 1 || rep.Unchanged != 29 {
		t.Fatalf("second import: %+v", rep)
	}
	for _, p := range rep.Problems {
		if p.Severity == Rejected && p.Key != "transferred.error" {
			t.Errorf("row %d rejected as %s, want the transfer named", p.Row, p.Key)
		}
	}
	var live int
	if err := storetest.RawDB(t, s).QueryRow("SELECT count(*) FROM records WHERE kind = 'person' AND archived = 0").Scan(&live); err != nil {
		t.Fatal(err)
	}
	if live != 30 {
		t.Fatalf("%d live person records, want the 30 of the first import", live)
	}
}

// Batches cover every row once, in order, none larger than asked; large
// ones begin and end with a batch of a fifth of the size.
func TestBatchBoundaries(t *testing.T) {
	for _, size := range []int{1, 3, 999, 1000, 5000} {
		for _, rows := range []int{0, 1, 2, 7, 999, 1000, 1001, 4999, 5000, 5001, 6000, 6001, 12345, 100000} {
			var sizes []int
			for lo, hi := 0, 0; lo < rows; lo = hi {
				if hi = batchEnd(lo, size, rows); hi <= lo || hi > rows || hi-lo > size {
					t.Fatalf("size %d, rows %d: batch %d-%d", size, rows, lo, hi)
				}
				sizes = append(sizes, hi-lo)
			}
			if size >= 1000 && rows > size {
				if first, last := sizes[0], sizes[len(sizes)-1]; first != size/5 || last > size/5 {
					t.Errorf("size %d, rows %d: first batch %d, last %d, want %d and at most %d", size, rows, first, last, size/5, size/5)
				}
			}
		}
	}
}

// Persons an import stores keep the ID-number key that uniqueness checks
// look up: registering one of them again by hand is refused.
func TestImportedPersonsCannotBeRegisteredTwice(t *testing.T) {
	s := newStore(t)
	if _, err := ImportBytes(context.Background(), s, ledgerCSV(rowZhang, rowLi), Options{}); err != nil {
		t.Fatal(err)
	}
	_, err := s.Put(context.Background(), store.KindPerson, "", map[string]string{"name": "张三", "id_number": idZhang})
	var dup *store.DuplicateError
	if !errors.As(err, &dup) {
		t.Fatalf("registering an imported ID number again: %v, want a DuplicateError", err)
	}
}
