package store

import (
	"context"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"
)

func TestEveryWriteRecordsItsChangedFields(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	num := idWithCheck("52010219900101123")
	id := mustPut(t, s, KindPerson, "", map[string]string{"name": "张三", "id_number": num, "risk": "高风险"})
	mustPut(t, s, KindPerson, id, map[string]string{"risk": "low", "name": "张三"})
	mustPut(t, s, KindPerson, id, map[string]string{"risk": "low"}) // no change: no log entry
	if err := s.Archive(ctx, id); err != nil {
		t.Fatal(err)
	}
	h, err := recordChanges(ctx, s, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 3 {
		t.Fatalf("history has %d changes, want 3", len(h))
	}
	if want := []string{"birth_date", "id_number", "name", "risk", "sex"}; !reflect.DeepEqual(slices.Sorted(maps.Keys(h[0].Fields)), want) {
		t.Errorf("create changed %v, want %v", slices.Sorted(maps.Keys(h[0].Fields)), want)
	}
	if !reflect.DeepEqual(h[1].Fields, map[string]string{"risk": "low"}) {
		t.Errorf("edit changed %v, want only risk", h[1].Fields)
	}
	if base := h[1].Bases["risk"]; len(base) != 1 || base[0] != h[0].Version().String() {
		t.Errorf("edit base %v, want the create's version %s", base, h[0].Version())
	}
	if h[2].Fields[FieldArchived] != "1" {
		t.Errorf("archive change %v", h[2].Fields)
	}
	for i, c := range h {
		if c.Device != s.Device() || c.User != "officer" || c.PersonID != id || c.Township != testTownship {
			t.Errorf("change %d metadata: %+v", i, c)
		}
		if i > 0 && !h[i-1].HLC.Less(c.HLC) {
			t.Errorf("change %d clock %v not after %v", i, c.HLC, h[i-1].HLC)
		}
	}
	r, err := s.getRecord(ctx, s.db, id)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Archived || r.Versions["risk"] != h[1].Version().String() {
		t.Errorf("record state after archive: archived=%v versions=%v", r.Archived, r.Versions)
	}
}

func TestFailedTransactionLeavesNoTrace(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	before, err := s.CountLocalChanges(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(ctx, func(tx *Tx) error {
		if _, err := tx.Put(KindStaff, "", map[string]string{"name": "王芳", "role": "officer"}); err != nil {
			return err
		}
		_, err := tx.Put(KindStaff, "", map[string]string{"name": "李", "role": "boss"})
		return err
	})
	if err == nil {
		t.Fatal("invalid role accepted")
	}
	after, err := s.CountLocalChanges(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	staff, err := s.List(ctx, KindStaff, ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if after != before || len(staff) != 0 {
		t.Fatalf("rolled-back write left %d changes, %d staff", after-before, len(staff))
	}
}

func TestClockSurvivesRestartWithClockGoingBackwards(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	future := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	s := newTestStoreAt(t, path, func() time.Time { return future })
	id := mustPut(t, s, KindStaff, "", map[string]string{"name": "王芳", "role": "officer"})
	s.Close()

	past := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	s2, err := Open(ctx, path, Options{Now: func() time.Time { return past }})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if err := s2.Unlock(ctx, "officer", "secret-pass"); err != nil {
		t.Fatal(err)
	}
	mustPut(t, s2, KindStaff, id, map[string]string{"name": "王芳芳"})
	h, err := recordChanges(ctx, s2, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 2 || !h[0].HLC.Less(h[1].HLC) {
		t.Fatalf("edit after restart with earlier clock is not ordered after the first: %+v", h)
	}
}

func TestClockNeverRepeats(t *testing.T) {
	fixed := time.UnixMilli(1700000000000)
	c := NewClock(HLC{Wall: fixed.UnixMilli(), Counter: maxCounter - 10}, func() time.Time { return fixed })
	prev := c.Now()
	for i := 0; i < 20; i++ {
		h := c.Now()
		if !prev.Less(h) {
			t.Fatalf("reading %d: %v not after %v", i, h, prev)
		}
		if _, err := ParseHLC(h.String()); err != nil {
			t.Fatalf("reading %d does not round-trip: %v", i, err)
		}
		prev = h
	}
	c.Observe(HLC{Wall: fixed.UnixMilli() + 3600_000})
	if h := c.Now(); h.Wall != fixed.UnixMilli()+3600_000 {
		t.Fatalf("clock did not move past an observed reading: %v", h)
	}
}
