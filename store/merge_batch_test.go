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
