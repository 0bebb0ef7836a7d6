package store

import (
	"context"
	"errors"
	"slices"
	"testing"
)

func triggerSQL(t *testing.T, s *Store) string {
	t.Helper()
	var sql string
	if err := s.db.QueryRow("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'index_dirty_insert'").Scan(&sql); err != nil {
		t.Fatalf("index_dirty_insert: %v", err)
	}
	return sql
}

// A bulk flush drops the dirty-marking trigger while it inserts and marks
// its persons itself; the trigger is back, as it was, for the writes after
// it in the same transaction, and after a failed bulk write too.
func TestBulkFlushPutsTheDirtyTriggerBack(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	before := triggerSQL(t, s)
	if _, err := s.db.Exec("DELETE FROM index_dirty"); err != nil {
		t.Fatal(err)
	}
	sg := stagePerson(t, s, "张三", idWithCheck("52010219900101123"))
	var staged, put string
	err := s.Update(ctx, func(tx *Tx) error {
		if _, err := tx.StagedClashes([]*Staged{sg}, false); err != nil {
			return err
		}
		if err := tx.PutStaged(sg); err != nil {
			return err
		}
		if _, err := tx.ChangeMark(); err != nil { // flushes the staged rows
			return err
		}
		staged = sg.order[0].ID
		var err error
		put, err = tx.Put(KindPerson, "", map[string]string{"name": "李四", "id_number": idWithCheck("52010219900101131")})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := triggerSQL(t, s); got != before {
		t.Fatalf("trigger after a bulk flush:\n%s\nwant\n%s", got, before)
	}
	marked, err := dirtyPersons(ctx, s.db)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := marked, []string{staged, put}; !slices.Equal(got, want) && !slices.Equal(got, []string{put, staged}) {
		t.Fatalf("dirty persons %v, want the staged person (marked by the flush) and the one put after it (by the trigger) %v", got, want)
	}

	failed := errors.New("disk full")
	err = s.Update(ctx, func(tx *Tx) error {
		err := tx.withoutTrigger("index_dirty_insert", func() error { return failed })
		if !errors.Is(err, failed) {
			t.Errorf("withoutTrigger returned %v, want the write's error", err)
		}
		var n int
		if err := tx.tx.Tx.QueryRowContext(tx.ctx, "SELECT count(*) FROM sqlite_master WHERE name = 'index_dirty_insert'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("after a failed write the trigger is missing within the transaction")
		}
		return err
	})
	if !errors.Is(err, failed) || triggerSQL(t, s) != before {
		t.Fatalf("after a failed bulk write (%v) the trigger is not as it was", err)
	}
}
