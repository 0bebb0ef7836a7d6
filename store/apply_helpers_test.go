package store

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
	"time"

	"rehabdesk/store/search"
)

// newReplicas creates n stores of the same township, each with its own
// device id (and data key): changes travel between them as *Change values.
func newReplicas(t testing.TB, n int) []*Store {
	t.Helper()
	out := make([]*Store, n)
	for i := range out {
		out[i] = newTestStoreAt(t, filepath.Join(t.TempDir(), fmt.Sprintf("r%d.db", i)), nil)
	}
	return out
}

// newClockReplica creates a store whose wall clock is now() shifted by skew.
func newClockReplica(t testing.TB, now func() time.Time) *Store {
	t.Helper()
	return newTestStoreAt(t, filepath.Join(t.TempDir(), "clock.db"), now)
}

// allChanges returns every change in a store's log, in sequence order:
// what the merge tests replicate from one device to another.
func allChanges(t testing.TB, s *Store) []*Change {
	t.Helper()
	chs, err := logChanges(s)
	if err != nil {
		t.Fatalf("read changes: %v", err)
	}
	return chs
}

// pull applies to dst every change src has.
func pull(t testing.TB, dst, src *Store) ApplyStats {
	t.Helper()
	st, err := pullErr(dst, src)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// logChanges is allChanges for callers without a testing.TB.
func logChanges(s *Store) ([]*Change, error) {
	return s.queryChanges(context.Background(), s.db, "ORDER BY seq")
}

func pullErr(dst, src *Store) (ApplyStats, error) {
	chs, err := logChanges(src)
	if err != nil {
		return ApplyStats{}, err
	}
	st, err := dst.ApplyRemote(context.Background(), chs)
	if err == nil && len(st.Rejected) > 0 {
		err = st.Rejected[0]
	}
	return st, err
}

// syncAll exchanges every change between every pair of stores, twice.
func syncAll(t testing.TB, ss ...*Store) {
	t.Helper()
	if err := syncAllErr(ss...); err != nil {
		t.Fatal(err)
	}
}

func syncAllErr(ss ...*Store) error {
	for round := 0; round < 2; round++ {
		for _, a := range ss {
			for _, b := range ss {
				if a == b {
					continue
				}
				if _, err := pullErr(a, b); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func recordsOf(s *Store) (map[string]*Record, error) {
	rows, err := s.db.Query("SELECT " + recordColumns + " FROM records")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]*Record{}
	for rows.Next() {
		r, err := s.scanRecord(s.seal, rows)
		if err != nil {
			return nil, err
		}
		out[r.ID] = r
	}
	return out, rows.Err()
}

// assertSameRecords checks that all stores hold the same records, field for
// field, with the same versions and metadata.
func assertSameRecords(t testing.TB, ss ...*Store) {
	t.Helper()
	if err := sameRecords(ss...); err != nil {
		t.Fatal(err)
	}
}

func sameRecords(ss ...*Store) error {
	want, err := recordsOf(ss[0])
	if err != nil {
		return err
	}
	for i, s := range ss[1:] {
		got, err := recordsOf(s)
		if err != nil {
			return err
		}
		if len(got) != len(want) {
			return fmt.Errorf("replica %d has %d records, replica 0 has %d", i+1, len(got), len(want))
		}
		for id, w := range want {
			if g := got[id]; !reflect.DeepEqual(g, w) {
				return fmt.Errorf("replica %d record %s:\n got %+v\nwant %+v", i+1, id, g, w)
			}
		}
	}
	return nil
}

// conflicts lists a store's open conflicts.
func conflicts(t testing.TB, s *Store) []Conflict {
	t.Helper()
	cs, err := s.Conflicts(context.Background())
	if err != nil {
		t.Fatalf("conflicts: %v", err)
	}
	return cs
}

// assertSameConflicts checks that all stores show the same open conflicts
// and returns them.
func assertSameConflicts(t testing.TB, ss ...*Store) []Conflict {
	t.Helper()
	cs, err := sameConflicts(ss...)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func sameConflicts(ss ...*Store) ([]Conflict, error) {
	first, err := ss[0].Conflicts(context.Background())
	if err != nil {
		return nil, err
	}
	want := conflictKeys(first)
	for i, s := range ss[1:] {
		cs, err := s.Conflicts(context.Background())
		if err != nil {
			return nil, err
		}
		if got := conflictKeys(cs); !reflect.DeepEqual(got, want) {
			return nil, fmt.Errorf("replica %d conflicts:\n got %v\nwant %v", i+1, got, want)
		}
	}
	return first, nil
}

// conflictKeys is the replica-independent content of conflicts, sorted.
func conflictKeys(cs []Conflict) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s %s %s/%s %q@%s vs %q@%s %v", c.ID, c.Kind, c.RecordID, c.Field,
			c.CurrentValue, c.CurrentVersion, c.OtherValue, c.OtherVersion, c.EditedFields))
	}
	sort.Strings(out)
	return out
}

func mustGet(t testing.TB, s *Store, id string) *Record {
	t.Helper()
	r, err := s.getRecord(context.Background(), s.db, id)
	if err != nil {
		t.Fatalf("get %s: %v", id, err)
	}
	return r
}

// newPerson registers a person with an ID number built from seq.
func newPerson(t testing.TB, s *Store, name string, seq int) string {
	t.Helper()
	return mustPut(t, s, KindPerson, "", map[string]string{"name": name, "id_number": testIDNumber(seq)})
}

// testIDNumber is a valid ID number of someone born in 1990, distinct per seq.
func testIDNumber(seq int) string {
	return idWithCheck(fmt.Sprintf("520102199001%02d%03d", 1+seq/1000%28, seq%1000))
}

// sameIndexAsReload checks that the search index a merge kept up to date
// equals one rebuilt from the database.
func sameIndexAsReload(s *Store) error {
	before := indexEntries(s)
	if err := s.reloadIndex(context.Background()); err != nil {
		return err
	}
	after := indexEntries(s)
	if !reflect.DeepEqual(before, after) {
		return fmt.Errorf("search index after merge:\n%v\nafter reload:\n%v", before, after)
	}
	return nil
}

func indexEntries(s *Store) map[string]search.Entry {
	out := map[string]search.Entry{}
	for _, e := range s.Search(search.Query{Limit: 1 << 20}).Entries {
		out[e.ID] = e
	}
	return out
}
