package store

import (
	"context"
	"errors"
	"testing"
)

// heldPut writes persons in one transaction whose index update waits for h.
func heldPut(t *testing.T, s *Store, h *IndexHold, fields ...map[string]string) []string {
	t.Helper()
	var ids []string
	err := s.Update(context.Background(), func(tx *Tx) error {
		tx.HoldIndex(h)
		for _, f := range fields {
			id, err := tx.Put(KindPerson, "", f)
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// searchName counts the index entries named name.
func searchName(s *Store, name string) int {
	n := 0
	for _, e := range s.Search(searchAll()).Entries {
		if e.Name == name {
			n++
		}
	}
	return n
}

// TestHeldIndexShowsPersonsAfterRelease: persons written by held
// transactions (new ones, and edits of stored ones) appear in searches
// only once the hold is released, and then as a rebuild from the
// database shows them.
func TestHeldIndexShowsPersonsAfterRelease(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	stored := newPerson(t, s, "赵一", 1)
	h, err := s.HoldIndex()
	if err != nil {
		t.Fatal(err)
	}
	heldPut(t, s, h, map[string]string{"name": "钱二", "id_number": testIDNumber(2)},
		map[string]string{"name": "孙三", "id_number": testIDNumber(3)})
	if err := s.Update(ctx, func(tx *Tx) error {
		tx.HoldIndex(h)
		_, err := tx.Put(KindPerson, stored, map[string]string{"name": "赵改"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if n := s.Search(searchAll()).Total; n != 1 || searchName(s, "赵一") != 1 {
		t.Fatalf("while held: %d entries, want only 赵一 as before", n)
	}
	h.Release(ctx)
	if n := s.Search(searchAll()).Total; n != 3 || searchName(s, "赵改") != 1 || searchName(s, "钱二") != 1 {
		t.Fatalf("after release: %d entries %v", n, indexEntries(s))
	}
	if err := sameIndexAsReload(s); err != nil {
		t.Fatal(err)
	}
}

// TestUnheldEditDuringHoldWins: an officer edits, during an import, a
// person the import created; releasing the import's hold must not put
// the imported (older) entry back over the edit.
func TestUnheldEditDuringHoldWins(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	h, err := s.HoldIndex()
	if err != nil {
		t.Fatal(err)
	}
	ids := heldPut(t, s, h, map[string]string{"name": "钱二", "id_number": testIDNumber(2)},
		map[string]string{"name": "孙三", "id_number": testIDNumber(3)})
	if _, err := s.Put(ctx, KindPerson, ids[0], map[string]string{"name": "钱改"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Archive(ctx, ids[1]); err != nil {
		t.Fatal(err)
	}
	h.Release(ctx)
	if searchName(s, "钱改") != 1 || searchName(s, "钱二") != 0 || searchName(s, "孙三") != 0 {
		t.Fatalf("after release: %v", indexEntries(s))
	}
	if err := sameIndexAsReload(s); err != nil {
		t.Fatal(err)
	}
}

// TestOneIndexHoldAtATime: a second hold is refused until the first is
// released; an import then updates the index as it goes.
func TestOneIndexHoldAtATime(t *testing.T) {
	s := newTestStore(t)
	h, err := s.HoldIndex()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.HoldIndex(); !errors.Is(err, ErrIndexHeld) {
		t.Fatalf("second hold: %v, want ErrIndexHeld", err)
	}
	h.Release(context.Background())
	h2, err := s.HoldIndex()
	if err != nil {
		t.Fatalf("hold after release: %v", err)
	}
	h2.Release(context.Background())
}

// TestMergedEditDuringHoldWins: a person the import created reaches
// another device, is edited there, and the edit is merged here before the
// import ends; the import's older entry must not come back over it.
func TestMergedEditDuringHoldWins(t *testing.T) {
	rs := newReplicas(t, 2)
	a, b := rs[0], rs[1]
	ctx := context.Background()
	h, err := a.HoldIndex()
	if err != nil {
		t.Fatal(err)
	}
	ids := heldPut(t, a, h, map[string]string{"name": "钱二", "id_number": testIDNumber(2)})
	pull(t, b, a)
	if _, err := b.Put(ctx, KindPerson, ids[0], map[string]string{"name": "钱改"}); err != nil {
		t.Fatal(err)
	}
	pull(t, a, b)
	h.Release(ctx)
	if searchName(a, "钱改") != 1 || searchName(a, "钱二") != 0 {
		t.Fatalf("after release: %v", indexEntries(a))
	}
	if err := sameIndexAsReload(a); err != nil {
		t.Fatal(err)
	}
}

// TestHoldSurvivesALockDuringTheImport: the session locks and unlocks
// while an import runs, which rebuilds the index from the database with
// the batches committed so far; the persons of later batches still appear
// once the hold is released.
func TestHoldSurvivesALockDuringTheImport(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	h, err := s.HoldIndex()
	if err != nil {
		t.Fatal(err)
	}
	heldPut(t, s, h, map[string]string{"name": "钱二", "id_number": testIDNumber(2)})
	relock(t, s)
	heldPut(t, s, h, map[string]string{"name": "孙三", "id_number": testIDNumber(3)})
	h.Release(ctx)
	if searchName(s, "钱二") != 1 || searchName(s, "孙三") != 1 {
		t.Fatalf("after release: %v", indexEntries(s))
	}
	if err := sameIndexAsReload(s); err != nil {
		t.Fatal(err)
	}
}
