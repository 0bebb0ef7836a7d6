package client

import (
	"context"
	"testing"
)

// The staff roster syncs like volunteer records: a member added on one
// device, and the village assignment made on another, reach every officer
// device of the township.
func TestStaffRosterAndVillageAssignmentSync(t *testing.T) {
	c := newCounty(t)
	ctx := context.Background()
	a, b := c.enrolled(t, townA), c.enrolled(t, townA)
	const village = townA + "001"
	p := put(t, a, "person", "", map[string]string{"name": "张三", "id_number": idFor(1), "village": village})
	staff, err := a.AddStaff(ctx, map[string]string{"name": "周专干", "role": "officer", "phone": "13800000001", "account": "zhou"})
	if err != nil {
		t.Fatal(err)
	}
	mustSync(t, a)
	mustSync(t, b)
	got := snapshot(t, b)
	if got[staff]["name"] != "周专干" || got[staff]["account"] != "zhou" {
		t.Fatalf("staff record on the other device: %v", got[staff])
	}
	if n, err := b.AssignVillage(ctx, staff, village); err != nil || n != 1 {
		t.Fatalf("assign on the other device: %d, %v", n, err)
	}
	mustSync(t, b)
	mustSync(t, a)
	got = snapshot(t, a)
	if got[p]["staff"] != staff || got[staff]["villages"] != village {
		t.Fatalf("assignment did not come back: person %v, staff %v", got[p], got[staff])
	}
}
