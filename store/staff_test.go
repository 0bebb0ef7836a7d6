package store

import (
	"context"
	"testing"
)

// A 专干 assigned to a village becomes the staff of every person living
// there, and of no one else; the village joins the ones they cover.
func TestAssignVillageSetsStaffOfEveryPersonThere(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	const v1, v2 = "520102016001", "520102016002"
	var inV1 []string
	for i, v := range []string{v1, v1, v2, v1} {
		id := mustPut(t, s, KindPerson, "", map[string]string{"name": "张三", "id_number": idWithCheck("52010219900101" + string(rune('1'+i)) + "23"), "village": v})
		if v == v1 {
			inV1 = append(inV1, id)
		}
	}
	staff, err := s.AddStaff(ctx, map[string]string{"name": "周专干", "role": "officer", "phone": "13800000001"})
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.AssignVillage(ctx, staff, v1)
	if err != nil || n != 3 {
		t.Fatalf("assigned %d persons (%v), want 3", n, err)
	}
	persons, err := s.List(ctx, KindPerson, ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range persons {
		want := ""
		if p.Get("village") == v1 {
			want = staff
		}
		if p.Get("staff") != want {
			t.Errorf("person in %s has staff %q, want %q", p.Get("village"), p.Get("staff"), want)
		}
	}
	r, err := s.Get(ctx, staff)
	if err != nil {
		t.Fatal(err)
	}
	if r.Get("villages") != v1 || r.Get("active") != "1" {
		t.Errorf("staff record after assign: %v", r.Fields)
	}
	// Assigning again changes nobody.
	if n, err := s.AssignVillage(ctx, staff, v1); err != nil || n != 0 {
		t.Errorf("second assign changed %d (%v)", n, err)
	}
	if _, err := s.AssignVillage(ctx, inV1[0], v2); err == nil {
		t.Error("a person accepted as a staff member")
	}
}

func TestStaffVillagesAreDivisionCodes(t *testing.T) {
	s := newTestStore(t)
	if _, err := s.AddStaff(context.Background(), map[string]string{"name": "周专干", "role": "officer", "villages": "双坝村"}); err == nil {
		t.Error("a village name accepted as a code")
	}
	id, err := s.AddStaff(context.Background(), map[string]string{"name": "周专干", "role": "officer", "villages": "520102016001、520102016002,520102016001"})
	if err != nil {
		t.Fatal(err)
	}
	if r, err := s.Get(context.Background(), id); err != nil || r.Get("villages") != "520102016001,520102016002" {
		t.Errorf("villages stored as %q (error %v)", r.Get("villages"), err)
	}
}
