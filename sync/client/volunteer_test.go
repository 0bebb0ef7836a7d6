package client

import (
	"context"
	"testing"
	"time"

	"rehabdesk/store"
	"rehabdesk/store/valid"
)

func TestVolunteerDeviceReceivesOnlyItsPersonsWithoutSensitiveData(t *testing.T) {
	c := newCounty(t)
	ctx := context.Background()
	a := c.enrolled(t, townA)
	v := put(t, a, store.KindVolunteer, "", map[string]string{"name": "李老师", "source": "elder_teacher"})
	p1 := put(t, a, store.KindPerson, "", map[string]string{"name": "张三", "id_number": idFor(1)})
	p2 := put(t, a, store.KindPerson, "", map[string]string{"name": "王五", "id_number": idFor(2)})
	test := put(t, a, store.KindDrugTest, "", map[string]string{"person": p1, "date": "2026-11-01", "sample": "urine", "result": "positive"})
	viol := put(t, a, store.KindViolation, "", map[string]string{"person": p1, "date": "2026-11-02", "kind": "refused_test"})
	put(t, a, store.KindAssignment, "", map[string]string{"person": p1, "role": "volunteer", "member": v})
	mustSync(t, a)

	code, err := c.srv.NewVolunteerCode(ctx, townA, v, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	vol := newDevice(t, townA)
	if _, err := Enroll(ctx, vol, c.url, code, "", fastOpt); err != nil {
		t.Fatal(err)
	}
	mustSync(t, vol)
	got := snapshot(t, vol)
	switch {
	case got[p1] == nil || got[v] == nil:
		t.Fatalf("assigned person or own record missing: %v", got)
	case got[p2] != nil:
		t.Fatal("volunteer device received a person not assigned to it")
	case got[viol] != nil:
		t.Fatal("volunteer device received a violation")
	case got[test] == nil || got[test]["result"] != "":
		t.Fatalf("drug test on the volunteer device: %v", got[test])
	case got[p1]["id_number"] != valid.MaskID(idFor(1)) || got[p1]["birth_date"] != "":
		t.Fatalf("the volunteer device holds ID number %q, birth date %q", got[p1]["id_number"], got[p1]["birth_date"])
	}
	// A later assignment brings the person's whole file.
	put(t, a, store.KindAssignment, "", map[string]string{"person": p2, "role": "volunteer", "member": v})
	mustSync(t, a)
	mustSync(t, vol)
	if snapshot(t, vol)[p2]["name"] != "王五" {
		t.Fatal("newly assigned person not received")
	}
	// The volunteer device may log visits of its persons, nothing else.
	visit := put(t, vol, store.KindVisit, "", map[string]string{"person": p1, "date": "2026-11-03", "mode": "home", "visitor_kind": "volunteer"})
	put(t, vol, store.KindPerson, "", map[string]string{"name": "赵六", "id_number": idFor(3)})
	res := mustSync(t, vol)
	if res.Pushed != 1 || len(res.Rejected) != 1 || res.Rejected[0].Reason != "not_assigned" {
		t.Fatalf("volunteer push: %+v", res)
	}
	mustSync(t, a)
	if snapshot(t, a)[visit] == nil {
		t.Fatal("the volunteer's visit did not reach the officer")
	}
}
