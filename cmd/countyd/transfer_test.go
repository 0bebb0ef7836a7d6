package main

import (
	"context"
	"errors"
	"testing"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
	"rehabdesk/store/rules"
	"rehabdesk/store/search"
	"rehabdesk/sync/client"
)

// townshipB is 新华路街道's neighbour in 南明区, the receiving township.
const townshipB = "520102017"

// enrollIn enrolls a device of a township with a code countyd prints.
func (c *countyd) enrollIn(st *store.Store, town string) {
	c.t.Helper()
	m := codeRE.FindStringSubmatch(c.run("enroll-code", "--township", town))
	if m == nil {
		c.t.Fatal("no enrollment code printed")
	}
	if _, err := client.Enroll(context.Background(), st, "http://"+c.addr, m[1], "", client.Options{}); err != nil {
		c.t.Fatal(err)
	}
}

func newStoreIn(t *testing.T, town string) *store.Store {
	t.Helper()
	st, err := store.Create(context.Background(), t.TempDir()+"/d.db", town, "officer", "secret-pass", store.Options{KDF: storetest.FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestTransferReachesTheReceivingTownshipAsAPendingReportIn: a transfer
// started on a device of township A goes through a real countyd to the
// devices of township B, where the person is pending report-in with a
// deadline 15 days from the transfer (戒毒条例 art. 22), and leaves every
// device of A.
func TestTransferReachesTheReceivingTownshipAsAPendingReportIn(t *testing.T) {
	ctx := context.Background()
	c := buildCountyd(t)
	c.run("township", "add", "--code", township)
	c.run("township", "add", "--code", townshipB)
	c.start()
	defer c.stop()
	a1, a2 := newStoreIn(t, township), newStoreIn(t, township)
	b1, b2 := newStoreIn(t, townshipB), newStoreIn(t, townshipB)
	for _, d := range []struct {
		st   *store.Store
		town string
	}{{a1, township}, {a2, township}, {b1, townshipB}, {b2, townshipB}} {
		c.enrollIn(d.st, d.town)
	}
	p, visit := transferFixture(t, a1)
	for _, st := range []*store.Store{a1, a2, b1} {
		mustSync(t, st)
	}
	if _, err := b1.Get(ctx, p); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("township B saw A's person before the transfer: %v", err)
	}
	today := rules.Today(a1)
	if err := a1.StartTransfer(ctx, p, townshipB, today.String()); err != nil {
		t.Fatal(err)
	}
	for _, st := range []*store.Store{a1, b1, b2, a2} {
		mustSync(t, st)
	}
	for _, st := range []*store.Store{b1, b2} {
		pendingReportIn(t, st, p, visit, today)
	}
	for _, st := range []*store.Store{a1, a2} {
		if _, err := st.Get(ctx, p); !errors.Is(err, store.ErrTransferred) {
			t.Errorf("device %s of A still opens the person: %v", st.Device(), err)
		}
		if res := st.Search(search.Query{Text: "王五"}); res.Total != 0 {
			t.Errorf("device %s of A still finds the person", st.Device())
		}
	}
}

// transferFixture is a person of A under an active measure with a visit.
func transferFixture(t *testing.T, a *store.Store) (person, visit string) {
	t.Helper()
	put := func(kind store.Kind, f map[string]string) string {
		id, err := a.Put(context.Background(), kind, "", f)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	person = put(store.KindPerson, map[string]string{"name": "王五", "id_number": withCheck("52010219900101123")})
	put(store.KindMeasure, map[string]string{"person": person, "type": "detox", "status": "active", "received_date": "2025-01-02",
		"report_in_date": "2025-01-10", "start_date": "2025-01-10", "planned_end": "2028-01-09"})
	visit = put(store.KindVisit, map[string]string{"person": person, "date": "2025-02-01", "visitor_kind": "staff", "mode": "home"})
	return person, visit
}

// pendingReportIn checks a device of B: the file arrived with its history,
// its measure in force is pending with a report-in due 15 days after the
// transfer, and the alerts say so.
func pendingReportIn(t *testing.T, st *store.Store, p, visit string, day rules.Day) {
	t.Helper()
	ctx := context.Background()
	if v, err := st.Get(ctx, visit); err != nil || v.Get("date") != "2025-02-01" {
		t.Fatalf("device %s of B: the visit did not come with the file (%v)", st.Device(), err)
	}
	ms, err := st.List(ctx, store.KindMeasure, store.ListFilter{PersonID: p})
	if err != nil {
		t.Fatal(err)
	}
	m := store.CurrentMeasure(ms)
	if len(ms) != 2 || m.Get("status") != "pending" || m.Get("report_due") != day.AddDays(15).String() || m.Get("planned_end") != "2028-01-09" {
		t.Fatalf("device %s of B: %d measures, in force: status %q, report due %q, planned end %q", st.Device(), len(ms), m.Get("status"), m.Get("report_due"), m.Get("planned_end"))
	}
	d, th, err := rules.Load(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	var due []rules.Alert
	for _, a := range rules.Evaluate(d, rules.Today(st), th) {
		if a.PersonID == p && a.Rule == rules.ReportInDue.ID {
			due = append(due, a)
		}
	}
	if len(due) != 1 || due[0].Due != day.AddDays(15) {
		t.Fatalf("device %s of B: report-in alerts %v, want one due %s", st.Device(), due, day.AddDays(15))
	}
}
