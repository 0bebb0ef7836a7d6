package store

import (
	"context"
	"fmt"
	"reflect"
	"testing"
)

// A page editing more existing records than one rewrite statement holds
// (see rewriteRows) gives each record its own values, in full chunks and
// in the partial one after them, as writing them one by one did.
func TestMergeRewritesEachRecordOfAChunk(t *testing.T) {
	rs := newReplicas(t, 2)
	a, b := rs[0], rs[1]
	ctx := context.Background()
	ids := make([]string, 2*rewriteChunk+5)
	err := a.Update(ctx, func(tx *Tx) error {
		for i := range ids {
			var err error
			if ids[i], err = tx.Put(KindPerson, "", map[string]string{"name": "张三", "id_number": testIDNumber(i)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	pull(t, b, a)
	err = a.Update(ctx, func(tx *Tx) error {
		for i, id := range ids {
			if _, err := tx.Put(KindPerson, id, map[string]string{"phone": fmt.Sprintf("138%08d", i)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if st := pull(t, b, a); st.Applied != len(ids) {
		t.Fatalf("second pull applied %d changes, want %d", st.Applied, len(ids))
	}
	for i, id := range ids {
		got := mustGet(t, b, id)
		if phone := got.Fields["phone"]; phone != fmt.Sprintf("138%08d", i) {
			t.Fatalf("person %d has phone %q after the merge, want 138%08d", i, phone, i)
		}
		if want := mustGet(t, a, id); !reflect.DeepEqual(got, want) {
			t.Fatalf("person %d after the merge:\n got %+v\nwant %+v", i, got, want)
		}
	}
}
