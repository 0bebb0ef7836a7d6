package client

import (
	"context"
	"testing"

	"rehabdesk/store"
)

func TestTransferredPersonMovesWithHistoryAndLateEdits(t *testing.T) {
	c := newCounty(t)
	ctx := context.Background()
	a1, a2 := c.enrolled(t, townA), c.enrolled(t, townA)
	b := c.enrolled(t, townB)
	p := put(t, a1, store.KindPerson, "", map[string]string{"name": "张三", "id_number": idFor(1)})
	v := put(t, a1, store.KindVisit, "", map[string]string{"person": p, "date": "2026-11-01", "mode": "home", "visitor_kind": "staff"})
	mustSync(t, a1)
	mustSync(t, a2)
	if _, ok := snapshot(t, b)[p]; ok {
		t.Fatal("B saw A's person early")
	}
	// a2 edits offline while a1 transfers the person to township B.
	put(t, a2, store.KindPerson, p, map[string]string{"phone": "13800000001"})
	if err := a1.TransferPerson(ctx, p, townB); err != nil {
		t.Fatal(err)
	}
	for _, st := range []*store.Store{a1, b, a2, b, a1} {
		mustSync(t, st)
	}
	got := snapshot(t, b)
	if got[p]["phone"] != "13800000001" || got[v] == nil || got[p]["name"] != "张三" {
		t.Fatalf("B holds %v / %v", got[p], got[v])
	}
	want := c.snapshot(t, townB)
	sameData(t, "B vs server", got, want)
	for id := range c.snapshot(t, townA) {
		if id == p || id == v {
			t.Fatal("the server still counts the person in township A")
		}
	}
}
