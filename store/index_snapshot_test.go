package store

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"rehabdesk/store/search"
)

// fullIndex is what a full rebuild would put in an officer's index.
func fullIndex(t *testing.T, s *Store) []search.Entry {
	t.Helper()
	seal, err := s.sealerOrErr()
	if err != nil {
		t.Fatal(err)
	}
	es, err := s.fullEntries(context.Background(), s.db, seal)
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(es, func(a, b search.Entry) int { return strings.Compare(a.ID, b.ID) })
	return es
}

// indexed is what the session's index holds, by ID.
func indexed(s *Store) []search.Entry {
	es := s.Search(search.Query{Sort: search.SortName}).Entries
	slices.SortFunc(es, func(a, b search.Entry) int { return strings.Compare(a.ID, b.ID) })
	return es
}

func relock(t *testing.T, s *Store) {
	t.Helper()
	s.Lock()
	if err := s.Unlock(context.Background(), "officer", "secret-pass"); err != nil {
		t.Fatal(err)
	}
}

// secondHandle opens s's file a second time and signs in, as another
// process on the same database would; it is closed with the test.
func secondHandle(t *testing.T, s *Store) *Store {
	t.Helper()
	other, err := Open(context.Background(), s.Path(), Options{KDF: fastKDF})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	if err := other.Unlock(context.Background(), "officer", "secret-pass"); err != nil {
		t.Fatal(err)
	}
	return other
}

func snapshotGen(t *testing.T, s *Store) int64 {
	t.Helper()
	var gen int64
	if err := s.db.QueryRow("SELECT coalesce(max(gen), 0) FROM index_snapshot").Scan(&gen); err != nil {
		t.Fatal(err)
	}
	return gen
}

func dirtyCount(s *Store) int {
	var n int
	if err := s.db.QueryRow("SELECT count(*) FROM index_dirty").Scan(&n); err != nil {
		return -1 // never the count a test expects
	}
	return n
}

// The index after sign-in is the full rebuild's, whether it comes from the
// snapshot alone, the snapshot and the persons written since (by any path:
// edits, archiving, measures moved by a merge of persons), or a rebuild
// after the snapshot was damaged.
func TestIndexSnapshotMatchesFullRebuild(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	var ids []string
	for i := range 40 {
		id := mustPut(t, s, KindPerson, "", map[string]string{"name": fmt.Sprintf("张%c", '一'+rune(i)),
			"id_number": idWithCheck(fmt.Sprintf("52010219900101%03d", i)), "risk": "low"})
		mustPut(t, s, KindMeasure, "", map[string]string{"person": id, "type": "detox",
			"received_date": "2025-03-01", "start_date": "2025-03-05", "status": "active"})
		ids = append(ids, id)
	}
	check := func(what string) {
		t.Helper()
		if got, want := indexed(s), fullIndex(t, s); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: index has %d entries, full rebuild %d:\n%v\n%v", what, len(got), len(want), got, want)
		}
	}
	relock(t, s)
	check("snapshot after first rebuild")
	gen := snapshotGen(t, s)
	if gen == 0 || dirtyCount(s) != 0 {
		t.Fatalf("after a rebuild: gen %d, %d dirty", gen, dirtyCount(s))
	}

	// Edits while locked out of this session's sight: another store on the
	// same file writes, and this one's Lock must not lose them.
	other := secondHandle(t, s)
	mustPut(t, other, KindPerson, ids[0], map[string]string{"name": "王五", "risk": "high"})
	if err := other.Archive(ctx, ids[1]); err != nil {
		t.Fatal(err)
	}
	mustPut(t, other, KindMeasure, "", map[string]string{"person": ids[2], "type": "rehab",
		"received_date": "2025-06-01", "start_date": "2025-06-02", "status": "pending"})
	newID := mustPut(t, other, KindPerson, "", map[string]string{"name": "赵六", "id_number": idWithCheck("52010219800101999")})
	if err := other.Update(ctx, func(tx *Tx) error { return tx.CombinePersons(ids[3], ids[4]) }); err != nil {
		t.Fatal(err)
	}
	if n := dirtyCount(s); n < 5 {
		t.Fatalf("%d dirty persons after 5 writes", n)
	}
	relock(t, s) // Lock saves this session's (empty) view, then unlock patches
	check("snapshot plus dirty persons")
	if _, ok := s.SearchEntry(newID); !ok {
		t.Fatal("new person missing")
	}
	if e, _ := s.SearchEntry(ids[2]); e.MeasureType != "rehab" {
		t.Fatalf("current measure not refreshed: %+v", e)
	}
	if snapshotGen(t, s) != gen+1 || dirtyCount(s) != 0 {
		t.Fatalf("Lock did not rewrite the snapshot: gen %d → %d, %d dirty", gen, snapshotGen(t, s), dirtyCount(s))
	}
	relock(t, s)
	check("rewritten snapshot")

	// A damaged snapshot is rebuilt, not trusted.
	if _, err := s.db.Exec("UPDATE index_snapshot SET data = zeroblob(length(data))"); err != nil {
		t.Fatal(err)
	}
	mustPut(t, s, KindPerson, ids[5], map[string]string{"risk": "medium"})
	relock(t, s)
	check("after damage")
	if _, err := s.db.Exec("DELETE FROM index_snapshot"); err != nil {
		t.Fatal(err)
	}
	relock(t, s)
	check("after deletion")

	// Lock rebuilds a missing snapshot rather than leave it to sign-in.
	if _, err := s.db.Exec("DELETE FROM index_snapshot"); err != nil {
		t.Fatal(err)
	}
	mustPut(t, s, KindPerson, ids[6], map[string]string{"risk": "high"})
	s.Lock()
	if snapshotGen(t, s) == 0 || dirtyCount(s) != 0 {
		t.Fatalf("Lock left no snapshot: gen %d, %d dirty", snapshotGen(t, s), dirtyCount(s))
	}
	if err := s.Unlock(ctx, "officer", "secret-pass"); err != nil {
		t.Fatal(err)
	}
	check("snapshot rebuilt by Lock")
}

// A volunteer's index built from the snapshot holds only their persons,
// with masked ID numbers; the snapshot itself is sealed.
func TestIndexSnapshotVolunteerScopeAndSealing(t *testing.T) {
	ctx := context.Background()
	w := newVolunteerWorld(t)
	s := w.s
	// Make the volunteer's sign-in come from a snapshot with dirty persons.
	s.Lock()
	if err := s.Unlock(ctx, "officer", "secret-pass"); err != nil {
		t.Fatal(err)
	}
	mustPut(t, s, KindPerson, w.other, map[string]string{"risk": "high"})
	mustPut(t, s, KindPerson, w.mine, map[string]string{"risk": "high"})
	if dirtyCount(s) == 0 || snapshotGen(t, s) == 0 {
		t.Fatal("no snapshot with dirty persons to test")
	}
	s.Lock()
	if err := s.Unlock(ctx, "vol1", "volunteer-pass"); err != nil {
		t.Fatal(err)
	}
	res := s.Search(search.Query{})
	if res.Total != 1 || res.Entries[0].ID != w.mine || res.Entries[0].Risk != "high" {
		t.Fatalf("volunteer index: %+v", res)
	}
	w.noLeak(t, "volunteer index from snapshot", res)
	if r := s.Search(search.Query{Text: w.mineID[6:14]}); r.Total != 0 {
		t.Fatalf("ID fragment found through the mask: %+v", r)
	}
	s.Close()
	for _, suffix := range []string{"", "-wal"} {
		b, _ := os.ReadFile(w.path + suffix)
		for _, sec := range []string{w.myName, w.otherName, w.mineID, w.otherID} {
			if bytes.Contains(b, []byte(sec)) {
				t.Errorf("%s holds %q in clear", w.path+suffix, sec)
			}
		}
	}
}

func TestSnapshotEncodingRoundTripsAndRejectsDamage(t *testing.T) {
	es := []search.Entry{{ID: "a", Name: "阿依古丽·买买提", IDNumber: "52010219900101123X", Village: "520102016001",
		Status: "active", MeasureType: "detox", Risk: "high", Updated: 1735689600000, EndDate: "2027-03-05"}, {ID: "b", Updated: -5}}
	b := encodeEntries(es)
	got, err := decodeEntries(b)
	if err != nil || !reflect.DeepEqual(got, es) {
		t.Fatalf("round trip: %v %+v", err, got)
	}
	for i := range len(b) {
		if _, err := decodeEntries(b[:i]); err == nil {
			t.Fatalf("truncated at %d accepted", i)
		}
	}
	if _, err := decodeEntries(append(b, 0)); err == nil {
		t.Fatal("trailing byte accepted")
	}
}

// Random edits through two handles on one file, with locks, sign-ins and
// damaged or dropped snapshots in between: every sign-in's index equals a
// full rebuild.
func TestIndexSnapshotRandomHistory(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	other := secondHandle(t, s)
	rng := rand.New(rand.NewPCG(4, 2))
	var persons []string
	n := 0
	for step := range 150 {
		st := s
		if rng.IntN(3) == 0 {
			st = other
		}
		switch op := rng.IntN(10); {
		case op < 3 || len(persons) < 3:
			n++
			id := mustPut(t, st, KindPerson, "", map[string]string{"name": fmt.Sprintf("李%c%c", '一'+rune(n%50), '丁'+rune(n/50)),
				"id_number": idWithCheck(fmt.Sprintf("52010219800101%03d", n)), "risk": []string{"low", "medium", "high"}[n%3]})
			persons = append(persons, id)
		case op < 5:
			mustPut(t, st, KindPerson, persons[rng.IntN(len(persons))], map[string]string{"village": fmt.Sprintf("520102016%03d", rng.IntN(5)+1)})
		case op < 7:
			mustPut(t, st, KindMeasure, "", map[string]string{"person": persons[rng.IntN(len(persons))], "type": []string{"detox", "rehab"}[rng.IntN(2)],
				"received_date": fmt.Sprintf("2025-%02d-01", rng.IntN(12)+1), "status": []string{"active", "pending"}[rng.IntN(2)]})
		case op < 8:
			st.Archive(ctx, persons[rng.IntN(len(persons))]) // may be archived already
		case op < 9:
			if _, err := s.db.Exec([]string{"DELETE FROM index_snapshot", "UPDATE index_snapshot SET data = randomblob(length(data))"}[rng.IntN(2)]); err != nil {
				t.Fatal(err)
			}
		default:
			s.Lock()
		}
		if rng.IntN(4) == 0 || s.Session().User == "" {
			relock(t, s)
			if got, want := indexed(s), fullIndex(t, s); !reflect.DeepEqual(got, want) {
				t.Fatalf("step %d: index differs from a full rebuild:\n%v\n%v", step, got, want)
			}
		}
	}
}
