package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

// TestBatchedChangeRowsKeepOrder writes more local changes in one
// transaction than one multi-row INSERT holds, interleaved with a record
// read and a remote-style append, and checks that every change is logged
// once, in write order, with its fields.
func TestBatchedChangeRowsKeepOrder(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	n := 2*changeRowsPerInsert + 7
	before, err := s.LocalChanges(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var after int64
	if len(before) > 0 {
		after = before[len(before)-1].Seq
	}
	var ids []string
	err = s.Update(ctx, func(tx *Tx) error {
		for i := range n {
			id, err := tx.Put(KindPerson, "", map[string]string{"name": "张三",
				"id_number": idWithCheck(fmt.Sprintf("520102199001%02d%03d", 1+i%28, i))})
			if err != nil {
				return err
			}
			ids = append(ids, id)
			if i == changeRowsPerInsert+3 {
				if _, err := tx.Put(KindPerson, ids[0], map[string]string{"risk": "high"}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := s.LocalChanges(ctx, after, 10*n)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != n+1 {
		t.Fatalf("%d changes logged, want %d", len(cs), n+1)
	}
	j := 0
	for i, c := range cs {
		if i > 0 && !cs[i-1].HLC.Less(c.HLC) {
			t.Fatalf("change %d is not after change %d", i, i-1)
		}
		if i == changeRowsPerInsert+4 {
			if c.EntityID != ids[0] || c.Fields["risk"] != "high" {
				t.Fatalf("change %d = %s %v, want the edit of %s", i, c.EntityID, c.Fields, ids[0])
			}
			continue
		}
		if c.EntityID != ids[j] || c.Fields["name"] != "张三" {
			t.Fatalf("change %d = %s %v, want the creation of %s", i, c.EntityID, c.Fields, ids[j])
		}
		j++
	}
}

// TestBatchedRecordRowsAreVisible checks that records still pending
// insertion are seen by reads, uniqueness and references in the same
// transaction, and are all there after it.
func TestBatchedRecordRowsAreVisible(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	n := 2*recordRowsPerInsert + 3
	var ids []string
	err := s.Update(ctx, func(tx *Tx) error {
		for i := range n {
			id, err := tx.Put(KindPerson, "", map[string]string{"name": "李四",
				"id_number": idWithCheck(fmt.Sprintf("520102198002%02d%03d", 1+i%28, i))})
			if err != nil {
				return err
			}
			ids = append(ids, id)
			if _, err := tx.Put(KindMeasure, "", map[string]string{"person": id, "type": "rehab",
				"start_date": "2025-01-02"}); err != nil {
				return err
			}
		}
		// The last person is still pending: a second one with the number
		// is refused, and reading it sees it.
		_, err := tx.Put(KindPerson, "", map[string]string{"name": "王五",
			"id_number": idWithCheck(fmt.Sprintf("520102198002%02d%03d", 1+(n-1)%28, n-1))})
		var dup *DuplicateError
		if !errors.As(err, &dup) || dup.ExistingID != ids[n-1] {
			return fmt.Errorf("duplicate of a pending person: %v", err)
		}
		r, err := tx.Get(ids[n-2])
		if err != nil || r.Fields["name"] != "李四" {
			return fmt.Errorf("get pending person: %v %v", r, err)
		}
		_, err = tx.Put(KindPerson, ids[n-1], map[string]string{"risk": "high"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	persons, err := s.List(ctx, KindPerson, ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	measures, err := s.List(ctx, KindMeasure, ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(persons) < n || len(measures) < n {
		t.Fatalf("%d persons and %d measures, want %d", len(persons), len(measures), n)
	}
	r, err := s.Get(ctx, ids[n-1])
	if err != nil || r.Fields["risk"] != "high" || r.Fields["name"] != "李四" {
		t.Fatalf("last person %v %v", r, err)
	}
}
