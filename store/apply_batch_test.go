package store

import (
	"context"
	"reflect"
	"testing"
)

// A pull page often repeats part of an earlier one (a retried pull, a
// push echoed back): the changes already merged count as duplicates, the
// others merge, wherever they sit in the page and across log chunks.
func TestMergeBatchMixingLoggedAndNewChanges(t *testing.T) {
	rs := newReplicas(t, 2)
	a, b := rs[0], rs[1]
	ids := make([]string, logChunk+6)
	for i := range ids {
		ids[i] = newPerson(t, a, "张三", i)
	}
	for _, id := range ids {
		mustPut(t, a, KindPerson, id, map[string]string{"phone": "13800000001"})
	}
	chs := allChanges(t, a)
	var first []*Change // every third change, some of each chunk
	for i, ch := range chs {
		if i%3 == 1 {
			first = append(first, ch)
		}
	}
	ctx := context.Background()
	had := len(allChanges(t, b))
	st, err := b.ApplyRemote(ctx, first)
	if err != nil || st.Applied != len(first) {
		t.Fatalf("first page: %+v, %v", st, err)
	}
	st, err = b.ApplyRemote(ctx, chs)
	if err != nil || st.Applied != len(chs)-len(first) || st.Duplicate != len(first) || len(st.Rejected) != 0 {
		t.Fatalf("page repeating %d of %d changes: %+v, %v", len(first), len(chs), st, err)
	}
	for _, id := range ids {
		if got, want := mustGet(t, b, id), mustGet(t, a, id); !reflect.DeepEqual(got, want) {
			t.Fatalf("record %s:\n got %+v\nwant %+v", id, got, want)
		}
	}
	if got := allChanges(t, b); len(got) != had+len(chs) {
		t.Fatalf("log holds %d changes, want %d", len(got), had+len(chs))
	}
}

// A page large enough to be sealed, decrypted and encrypted on a second
// goroutine (see ahead) merges exactly as small ones do: concurrent edits
// of many persons, some archived meanwhile, end the same on every replica
// with one conflict per concurrent pair.
func TestMergeLargePagesOfConcurrentEdits(t *testing.T) {
	rs := newReplicas(t, 3)
	a, b, c := rs[0], rs[1], rs[2]
	ctx := context.Background()
	n := 2*minAhead + 7
	ids := make([]string, n)
	err := a.Update(ctx, func(tx *Tx) error {
		for i := range ids {
			id, err := tx.Put(KindPerson, "", map[string]string{"name": "张三", "id_number": testIDNumber(i), "phone": "13800000000"})
			ids[i] = id
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	pull(t, b, a)
	edits := func(s *Store, phone string, every int) {
		t.Helper()
		err := s.Update(ctx, func(tx *Tx) error {
			for i, id := range ids {
				if i%every == 0 {
					if _, err := tx.Put(KindPerson, id, map[string]string{"phone": phone}); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	edits(a, "13800000001", 1)
	edits(b, "13900000002", 2)
	for _, id := range ids[:3] {
		if err := a.Archive(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	pull(t, c, a)
	pull(t, c, b)
	syncAll(t, a, b, c)
	assertSameRecords(t, a, b, c)
	cs := assertSameConflicts(t, a, b, c)
	fields, archives := 0, 0
	for _, cf := range cs {
		if cf.Kind == ConflictArchive {
			archives++
		} else {
			fields++
		}
	}
	if fields != (n+1)/2 || archives != 2 {
		t.Fatalf("%d field and %d archive conflicts, want %d and 2 (persons 0 and 2 edited on b while archived on a)", fields, archives, (n+1)/2)
	}
}

// A large page pauses the index_dirty triggers and marks the persons
// itself: a sign-in after merges made through another handle still finds
// every written person, whether created, edited, archived or left by a
// measure that moved to another person.
func TestMergeLargePagesKeepSignInSnapshotTrue(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	relock(t, s)
	other := secondHandle(t, s)
	a := newReplicas(t, 1)[0]
	ids, measures := make([]string, pauseFrom+20), make([]string, pauseFrom+20)
	err := a.Update(ctx, func(tx *Tx) error {
		for i := range ids {
			var err error
			if ids[i], err = tx.Put(KindPerson, "", map[string]string{"name": "张三", "id_number": testIDNumber(i)}); err != nil {
				return err
			}
			if measures[i], err = tx.Put(KindMeasure, "", map[string]string{"person": ids[i], "type": "detox",
				"received_date": "2025-03-01", "start_date": "2025-03-05", "status": "active"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string) {
		t.Helper()
		pull(t, other, a)
		relock(t, s)
		if got, want := indexed(s), fullIndex(t, s); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: index has %d entries, full rebuild %d", what, len(got), len(want))
		}
	}
	check("created")
	err = a.Update(ctx, func(tx *Tx) error {
		for _, id := range ids[8:] {
			if _, err := tx.Put(KindPerson, id, map[string]string{"name": "李四", "risk": "high"}); err != nil {
				return err
			}
		}
		if _, err := tx.Put(KindMeasure, measures[6], map[string]string{"person": ids[7]}); err != nil {
			return err
		}
		return tx.CombinePersons(ids[3], ids[4])
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Archive(ctx, ids[5]); err != nil {
		t.Fatal(err)
	}
	check("edited, archived, merged, measure moved")
}

// The random histories of TestPropMergeConverges again, with every batch
// sealed, decrypted and encrypted on the second goroutine and written with
// the index_dirty triggers paused, as large pull pages are.
func TestPropMergeConvergesAsLargePages(t *testing.T) {
	oldAhead, oldPause := minAhead, pauseFrom
	minAhead, pauseFrom = 1, 1
	t.Cleanup(func() { minAhead, pauseFrom = oldAhead, oldPause })
	TestPropMergeConverges(t)
}
