package client

import (
	"context"
	"errors"
	"testing"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

func TestTwoDevicesEditOfflineAndConverge(t *testing.T) {
	c := newCounty(t)
	a, b := c.enrolled(t, townA), c.enrolled(t, townA)
	other := c.enrolled(t, townB)
	p := put(t, a, store.KindPerson, "", map[string]string{"name": "张三", "id_number": storetest.IDNumber("52010219900101123")})
	put(t, other, store.KindPerson, "", map[string]string{"name": "李四", "id_number": storetest.IDNumber("52010219850202456")})
	for _, st := range []*store.Store{a, b, other} {
		mustSync(t, st)
	}
	// Offline on both: different fields, and the same field.
	put(t, a, store.KindPerson, p, map[string]string{"phone": "13800000001", "notes": "a"})
	put(t, b, store.KindPerson, p, map[string]string{"current_address": "新华路1号", "notes": "b"})
	put(t, b, store.KindVisit, "", map[string]string{"person": p, "date": "2026-11-01", "mode": "home", "visitor_kind": "staff"})
	for round := 0; round < 2; round++ {
		for _, st := range []*store.Store{a, b, other} {
			mustSync(t, st)
		}
	}
	want := c.snapshot(t, townA)
	sameData(t, "device a vs server", snapshot(t, a), want)
	sameData(t, "device b vs server", snapshot(t, b), want)
	sameData(t, "other township vs server", snapshot(t, other), c.snapshot(t, townB))
	got := want[p]
	if got["phone"] != "13800000001" || got["current_address"] != "新华路1号" {
		t.Fatalf("concurrent edits of different fields lost: %v", got)
	}
	if _, leaked := snapshot(t, other)[p]; leaked {
		t.Fatal("a person of township A reached township B")
	}
}

func TestNothingToDoIsCheap(t *testing.T) {
	c := newCounty(t)
	a := c.enrolled(t, townA)
	mustSync(t, a)
	res := mustSync(t, a)
	if res.Pushed != 0 || res.Pulled != 0 || res.Sent+res.Recv > 2000 {
		t.Fatalf("idle sync moved %+v", res)
	}
}

func TestEnrollmentRefusals(t *testing.T) {
	c := newCounty(t)
	ctx := context.Background()
	code := c.code(t, townA)
	wrong := newDevice(t, townB)
	if _, err := Enroll(ctx, wrong, c.url, code, "", fastOpt); !isCode(err, wire.CodeTownshipMismatch) {
		t.Fatalf("wrong township: %v", err)
	}
	first := newDevice(t, townA)
	if _, err := Enroll(ctx, first, c.url, code, "", fastOpt); err != nil {
		t.Fatal(err)
	}
	replay := newDevice(t, townA)
	if _, err := Enroll(ctx, replay, c.url, code, "", fastOpt); !isCode(err, wire.CodeCodeUsed) {
		t.Fatalf("replayed code: %v", err)
	}
	if _, err := Enroll(ctx, replay, c.url, "AAAA-BBBB-CCCC", "", fastOpt); !isCode(err, wire.CodeCodeInvalid) {
		t.Fatalf("made-up code: %v", err)
	}
	if _, err := Enroll(ctx, replay, "http://192.0.2.1:8443", code, "", fastOpt); !errors.Is(err, ErrInsecureURL) {
		t.Fatalf("plain http off loopback: %v", err)
	}
}

func TestRevokedAndForgedTokensAreRefused(t *testing.T) {
	c := newCounty(t)
	ctx := context.Background()
	a := c.enrolled(t, townA)
	mustSync(t, a)
	if err := c.srv.Revoke(ctx, a.Device()); err != nil {
		t.Fatal(err)
	}
	put(t, a, store.KindStaff, "", map[string]string{"name": "王五", "role": "officer"})
	if _, err := Sync(ctx, a, nil, fastOpt); !isCode(err, wire.CodeRevoked) {
		t.Fatalf("revoked device synced: %v", err)
	}
	forged := c.enrolled(t, townA)
	if err := forged.SetSyncSecret(ctx, keyToken, []byte("rdt1.forged")); err != nil {
		t.Fatal(err)
	}
	if _, err := Sync(ctx, forged, nil, fastOpt); !isCode(err, wire.CodeUnauthorized) {
		t.Fatalf("forged token synced: %v", err)
	}
	if info, err := Status(ctx, a); err != nil || info.Pending == 0 || info.LastError == "" {
		t.Fatalf("status after refusal: %+v (error %v)", info, err)
	}
}
