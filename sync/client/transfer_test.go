package client

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
	"rehabdesk/store/ledger"
	"rehabdesk/store/rules"
	"rehabdesk/store/search"
	"rehabdesk/sync/wire"
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
	home, err := rules.NewLive(ctx, a2) // the home screen's alerts, loaded once
	if err != nil || home.Person(p) == nil {
		t.Fatalf("alerts before the transfer: %v", err)
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
	for _, st := range []*store.Store{a1, a2} {
		leftTownship(t, st, p, v)
	}
	if _, err := home.Refresh(ctx, a2, p, rules.Today(a2)); err != nil || home.Person(p) != nil {
		t.Errorf("home alerts after the transfer synced: person kept=%v, %v", home.Person(p) != nil, err)
	}
}

// An edit typed on a device of the old township after the transfer reached
// the county, but before that device synced and learnt of it, is kept and
// reaches the new township: the county refuses only edits made once the
// device knew (sync/server late_edit.go).
func TestEditTypedAfterTheTransferReachedTheCountyButBeforeSyncIsKept(t *testing.T) {
	c := newCounty(t)
	a1, a2 := c.enrolled(t, townA), c.enrolled(t, townA)
	b := c.enrolled(t, townB)
	p := put(t, a1, store.KindPerson, "", map[string]string{"name": "张三", "id_number": idFor(1)})
	mustSync(t, a1)
	mustSync(t, a2)
	if err := a1.TransferPerson(context.Background(), p, townB); err != nil {
		t.Fatal(err)
	}
	mustSync(t, a1)
	time.Sleep(10 * time.Millisecond) // stamped after the transfer's arrival
	put(t, a2, store.KindPerson, p, map[string]string{"phone": "13800000002"})
	if res := mustSync(t, a2); len(res.Rejected) != 0 {
		t.Fatalf("the county refused the officer's edit: %+v", res.Rejected)
	}
	mustSync(t, b)
	if got := snapshot(t, b)[p]["phone"]; got != "13800000002" {
		t.Fatalf("B holds phone %q", got)
	}
	leftTownship(t, a2, p)
}

// leftTownship checks that a device of the old township neither shows nor
// holds a transferred person's file, and says where the person went.
func leftTownship(t *testing.T, st *store.Store, p string, events ...string) {
	t.Helper()
	ctx := context.Background()
	held := snapshot(t, st)
	for _, id := range append([]string{p}, events...) {
		if _, ok := held[id]; ok {
			t.Errorf("device %s still lists record %s", st.Device(), id)
		}
	}
	if res := st.Search(search.Query{Text: "张三"}); res.Total != 0 {
		t.Errorf("device %s still finds 张三", st.Device())
	}
	if d, _, err := rules.Load(ctx, st); err != nil || len(d.Persons) != 0 {
		t.Errorf("device %s computes alerts over %d persons (%v)", st.Device(), len(d.Persons), err)
	}
	var csv bytes.Buffer
	if n, err := ledger.Export(ctx, st, &csv, ledger.CSV); err != nil || n != 0 || strings.Contains(csv.String(), "张三") {
		t.Errorf("device %s exports %d persons (%v)", st.Device(), n, err)
	}
	var te *store.TransferredError
	if _, err := st.Get(ctx, p); !errors.As(err, &te) || te.To != townB || te.Name != "张三" {
		t.Errorf("device %s opening the person: %v, want transferred to %s", st.Device(), err, townB)
	}
	var n int
	if err := storetest.RawDB(t, st).QueryRow("SELECT count(*) FROM records WHERE id = ? OR person_id = ?", p, p).Scan(&n); err != nil || n != 0 {
		t.Errorf("device %s still holds %d records of the person (%v)", st.Device(), n, err)
	}
}

func TestTransferredFileStaysOffTheOldTownshipAndComesBackWhole(t *testing.T) {
	c := newCounty(t)
	ctx := context.Background()
	a, b := c.enrolled(t, townA), c.enrolled(t, townB)
	p := put(t, a, store.KindPerson, "", map[string]string{"name": "张三", "id_number": idFor(2)})
	v := put(t, a, store.KindVisit, "", map[string]string{"person": p, "date": "2026-11-01", "mode": "home", "visitor_kind": "staff"})
	if err := a.TransferPerson(ctx, p, townB); err != nil {
		t.Fatal(err)
	}
	mustSync(t, a)
	mustSync(t, b)
	leftTownship(t, a, p, v)

	// Enrolled again (with a code for this device: no other code may
	// enroll a known device id), it pulls its township's feed from the start.
	if _, err := Enroll(ctx, a, c.url, c.code(t, townA), "", fastOpt); !isCode(err, wire.CodeDeviceTaken) {
		t.Fatalf("re-enrolled with a plain code: %v", err)
	}
	again, err := c.srv.NewReenrollCode(ctx, a.Device(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Enroll(ctx, a, c.url, again, "", fastOpt); err != nil {
		t.Fatal(err)
	}
	mustSync(t, a)
	leftTownship(t, a, p, v)

	// Township B edits the file and sends the person back.
	put(t, b, store.KindPerson, p, map[string]string{"phone": "13800000002"})
	if err := b.TransferPerson(ctx, p, townA); err != nil {
		t.Fatal(err)
	}
	mustSync(t, b)
	mustSync(t, a)
	got := snapshot(t, a)
	if got[p]["name"] != "张三" || got[p]["phone"] != "13800000002" || got[v]["mode"] != "home" {
		t.Fatalf("back in township A: person %v, visit %v", got[p], got[v])
	}
	sameData(t, "A vs server", got, c.snapshot(t, townA))
}

func TestCountyOfficeKeepsPersonMovedWithinTheCounty(t *testing.T) {
	c := newCounty(t)
	ctx := context.Background()
	a := c.enrolled(t, townA)
	code, err := c.srv.NewEnrollCode(ctx, townA, true, 3600e9)
	if err != nil {
		t.Fatal(err)
	}
	office := newDevice(t, townA)
	if _, err := Enroll(ctx, office, c.url, code, "", fastOpt); err != nil {
		t.Fatal(err)
	}
	p := put(t, a, store.KindPerson, "", map[string]string{"name": "张三", "id_number": idFor(3)})
	if err := a.TransferPerson(ctx, p, townB); err != nil {
		t.Fatal(err)
	}
	mustSync(t, a)
	mustSync(t, office)
	if r, err := office.Get(ctx, p); err != nil || r.Township != townB {
		t.Fatalf("county office after a move inside the county: %v, %v", r, err)
	}
}
