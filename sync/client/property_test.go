package client

import (
	"context"
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
// data, field for field.
func TestReplicasConvergeThroughTheServer(t *testing.T) {
	setDefaultChecks(t, 12, 4)
	rapid.Check(t, func(rt *rapid.T) {
		c := newCounty(t)
		n := rapid.IntRange(2, 4).Draw(rt, "replicas")
		devs := make([]*store.Store, n)
		for i := range devs {
			devs[i] = c.enrolled(t, townA)
		}
		steps := rapid.IntRange(5, 25).Draw(rt, "steps")
		for s := 0; s < steps; s++ {
			randomStep(rt, t, devs[rapid.IntRange(0, n-1).Draw(rt, "dev")])
		}
		for round := 0; round < 2; round++ {
			for _, d := range devs {
				mustSync(t, d)
			}
		}
		want := c.snapshot(t, townA)
		for i, d := range devs {
			sameData(t, fmt.Sprintf("device %d vs server", i), snapshot(t, d), want)
		}
	})
}

// setDefaultChecks lowers rapid's number of checks unless -rapid.checks was
// given: each check starts a server and several databases.
func setDefaultChecks(t *testing.T, normal, short int) {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "rapid.checks" })
	if set {
		return
	}
	n := normal
	if testing.Short() {
		n = short
	}
	old := flag.Lookup("rapid.checks").Value.String()
	flag.Set("rapid.checks", strconv.Itoa(n))
	t.Cleanup(func() { flag.Set("rapid.checks", old) })
}

func randomStep(rt *rapid.T, t *testing.T, d *store.Store) {
	ctx := context.Background()
	persons, _ := d.List(ctx, store.KindPerson, store.ListFilter{IncludeArchived: true})
	switch op := rapid.IntRange(0, 4).Draw(rt, "op"); {
	case op == 0 || len(persons) == 0:
		d.Put(ctx, store.KindPerson, "", map[string]string{"name": "张三", "id_number": idFor(rapid.IntRange(0, 5).Draw(rt, "who"))})
	case op == 1:
		p := persons[rapid.IntRange(0, len(persons)-1).Draw(rt, "p")]
		field := rapid.SampledFrom([]string{"phone", "notes", "current_address"}).Draw(rt, "field")
		value := map[string]string{"phone": "1380000000", "notes": "记录", "current_address": "新华路"}[field]
		d.Put(ctx, store.KindPerson, p.ID, map[string]string{field: value + fmt.Sprint(rapid.IntRange(0, 9).Draw(rt, "v"))})
	case op == 2:
		d.Archive(ctx, persons[rapid.IntRange(0, len(persons)-1).Draw(rt, "p")].ID)
	default:
		cut := newFaulty(int32(rapid.IntRange(0, 3).Draw(rt, "cuts")), int64(rapid.IntRange(1, 400).Draw(rt, "at")))
		Sync(ctx, d, nil, Options{Retries: 1, Backoff: time.Millisecond, PushPage: 2, PullPage: 3, Dial: cut.dial})
	}
}
