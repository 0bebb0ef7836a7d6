package client

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"testing"
	"time"

	"pgregory.net/rapid"

	"rehabdesk/store"
)

// TestReplicasConvergeThroughTheServer drives 2–4 devices of one township
// through random creates (the same ID numbers on several devices), edits,
// archives and syncs over connections that are cut at random points; after
// every device has synced twice, every device and the server hold the same
// data, field for field. Failures go to rapid's T, which shrinks them.
func TestReplicasConvergeThroughTheServer(t *testing.T) {
	setDefaultChecks(t, 12, 20)
	rapid.Check(t, func(rt *rapid.T) {
		c := newCounty(t)
		n := rapid.IntRange(2, 4).Draw(rt, "replicas")
		devs := make([]*store.Store, n)
		for i := range devs {
			devs[i] = c.enrolled(t, townA)
		}
		steps := rapid.IntRange(5, 25).Draw(rt, "steps")
		for s := 0; s < steps; s++ {
			randomStep(rt, devs[rapid.IntRange(0, n-1).Draw(rt, "dev")])
		}
		for round := 0; round < 2; round++ {
			for i, d := range devs {
				if _, err := Sync(context.Background(), d, nil, fastOpt); err != nil {
					rt.Fatalf("sync %d of device %d: %v", round+1, i, err)
				}
			}
		}
		want := c.snapshot(rt, townA)
		for i, d := range devs {
			sameData(rt, fmt.Sprintf("device %d vs server", i), snapshot(rt, d), want)
		}
	})
}

// setDefaultChecks sets rapid's number of checks unless -rapid.checks was
// given: each check starts a server and several databases. Under -short
// rapid runs a fifth of -rapid.checks, so it is given five times short.
func setDefaultChecks(t *testing.T, normal, short int) {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "rapid.checks" })
	if set {
		return
	}
	n := normal
	if testing.Short() {
		n = 5 * short
	}
	old := flag.Lookup("rapid.checks").Value.String()
	flag.Set("rapid.checks", strconv.Itoa(n))
	t.Cleanup(func() { flag.Set("rapid.checks", old) })
}

// randomStep does one random thing on a device and fails rt on any error an
// officer would not meet too.
func randomStep(rt *rapid.T, d *store.Store) {
	ctx := context.Background()
	persons, err := d.List(ctx, store.KindPerson, store.ListFilter{IncludeArchived: true})
	if err != nil {
		rt.Fatal(err)
	}
	switch op := rapid.IntRange(0, 4).Draw(rt, "op"); {
	case op == 0 || len(persons) == 0:
		_, err := d.Put(ctx, store.KindPerson, "", map[string]string{"name": "张三", "id_number": idFor(rapid.IntRange(0, 5).Draw(rt, "who"))})
		stepError(rt, "create", err)
	case op == 1:
		p := persons[rapid.IntRange(0, len(persons)-1).Draw(rt, "p")]
		field := rapid.SampledFrom([]string{"phone", "notes", "current_address"}).Draw(rt, "field")
		value := map[string]string{"phone": "1380000000", "notes": "记录", "current_address": "新华路"}[field]
		_, err := d.Put(ctx, store.KindPerson, p.ID, map[string]string{field: value + fmt.Sprint(rapid.IntRange(0, 9).Draw(rt, "v"))})
		stepError(rt, "edit", err)
	case op == 2:
		stepError(rt, "archive", d.Archive(ctx, persons[rapid.IntRange(0, len(persons)-1).Draw(rt, "p")].ID))
	default:
		cut := newFaulty(int32(rapid.IntRange(0, 3).Draw(rt, "cuts")), int64(rapid.IntRange(1, 400).Draw(rt, "at")))
		_, err := Sync(ctx, d, nil, Options{Retries: 1, Backoff: time.Millisecond, PushPage: 2, PullPage: 3, Dial: cut.dial})
		var netErr *NetworkError
		if err != nil && !errors.As(err, &netErr) {
			rt.Fatalf("sync over a cut connection: %v; want success or a network error", err)
		}
	}
}

// stepError accepts the refusals an officer meets too: a second live person
// with the same ID number (on this device, or received from another).
func stepError(rt *rapid.T, what string, err error) {
	var dup *store.DuplicateError
	if err != nil && !errors.As(err, &dup) {
		rt.Fatalf("%s: %v", what, err)
	}
}
