package rules

import (
	"context"
	"path/filepath"
	"testing"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
)

func TestLiveRefreshAfterEdit(t *testing.T) {
	ctx := context.Background()
	s, err := store.Create(ctx, filepath.Join(t.TempDir(), "l.db"), "520102016", "officer", "secret-pass",
		store.Options{KDF: storetest.FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	put := func(k store.Kind, f map[string]string) string {
		id, err := s.Put(ctx, k, "", f)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	p := put(store.KindPerson, map[string]string{"name": "张三", "id_number": "52010219900101123X"})
	put(store.KindMeasure, map[string]string{"person": p, "type": "detox", "report_in_date": "2026-07-10"})
	live, err := NewLive(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	today := d("2026-10-08")
	if n := len(only(live.Alerts(today), "serious_violation")); n != 0 {
		t.Fatalf("%d serious violations before the edit", n)
	}
	for _, day := range []string{"2026-08-02", "2026-09-05", "2026-10-07"} {
		put(store.KindDrugTest, map[string]string{"person": p, "date": day, "sample": "urine", "result": "refused"})
	}
	got, err := live.Refresh(ctx, s, p, today)
	if err != nil {
		t.Fatal(err)
	}
	want(t, got, "serious_violation", Police, true)
	want(t, live.Alerts(today), "serious_violation", Police, true)
	if err := s.Archive(ctx, p); err != nil {
		t.Fatal(err)
	}
	if got, err := live.Refresh(ctx, s, p, today); err != nil || len(got) != 0 || live.Person(p) != nil {
		t.Fatalf("after archive: %v %v", got, err)
	}
}

func TestTransferredPersonLeavesTownship(t *testing.T) {
	ctx := context.Background()
	s, err := store.Create(ctx, filepath.Join(t.TempDir(), "t.db"), "520102016", "officer", "secret-pass",
		store.Options{KDF: storetest.FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p, err := s.Put(ctx, store.KindPerson, "", map[string]string{"name": "张三", "id_number": "52010219900101123X"})
	if err == nil {
		_, err = s.Put(ctx, store.KindMeasure, "", map[string]string{"person": p, "type": "detox", "received_date": "2026-07-01"})
	}
	if err != nil {
		t.Fatal(err)
	}
	d, _, err := Load(ctx, s)
	if err != nil || len(d.Persons) != 1 {
		t.Fatalf("before: %v %v", d, err)
	}
	if err := s.TransferPerson(ctx, p, "520102017"); err != nil {
		t.Fatal(err)
	}
	d, th, err := Load(ctx, s)
	if err != nil || len(d.Persons) != 0 {
		t.Fatalf("after transfer: %d persons, %v", len(d.Persons), err)
	}
	if as := only(Evaluate(d, d0(), th), "report_in_overdue"); len(as) != 0 {
		t.Fatalf("alerts for a transferred person: %+v", as)
	}
}

func d0() Day { return d("2026-11-01") }
