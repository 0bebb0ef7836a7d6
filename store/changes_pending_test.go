package store

import (
	"context"
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
