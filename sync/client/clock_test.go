package client

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"rehabdesk/store"
)

// deviceAt makes an enrolled device whose clock is off by skew.
func (c *county) deviceAt(t *testing.T, skew time.Duration) *store.Store {
	t.Helper()
	now := func() time.Time { return time.Now().Add(skew) }
	st, err := store.Create(context.Background(), filepath.Join(t.TempDir(), "d.db"), townA, "officer", "secret-pass",
		store.Options{KDF: fastKDF, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	opt := fastOpt
	opt.Now = now
	if _, err := Enroll(context.Background(), st, c.url, c.code(t, townA), "", opt); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestWrongClocksStillConvergeAndAreWarned(t *testing.T) {
	c := newCounty(t)
	ahead, behind := c.deviceAt(t, 72*time.Hour), c.deviceAt(t, -2*time.Hour)
	right := c.enrolled(t, townA)
	p := put(t, right, store.KindPerson, "", map[string]string{"name": "张三", "id_number": idFor(9)})
	mustSync(t, right)
	syncAt := func(st *store.Store, skew time.Duration) Result {
		opt := fastOpt
		opt.Now = func() time.Time { return time.Now().Add(skew) }
		res, err := Sync(context.Background(), st, nil, opt)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	syncAt(ahead, 72*time.Hour)
	syncAt(behind, -2*time.Hour)
	// The device that is behind saw the others' changes, so its edit, made
	// afterwards, wins even though its clock says it is earlier.
	put(t, ahead, store.KindPerson, p, map[string]string{"phone": "13800000001"})
	syncAt(ahead, 72*time.Hour)
	if res := syncAt(behind, -2*time.Hour); !res.ClockWarning() {
		t.Fatalf("a clock 2 h behind was not warned (skew %v)", res.ClockSkew)
	}
	put(t, behind, store.KindPerson, p, map[string]string{"phone": "13900000002"})
	for round := 0; round < 2; round++ {
		syncAt(ahead, 72*time.Hour)
		syncAt(behind, -2*time.Hour)
		mustSync(t, right)
	}
	want := c.snapshot(t, townA)
	for _, st := range []*store.Store{ahead, behind, right} {
		sameData(t, "device vs server", snapshot(t, st), want)
	}
	if want[p]["phone"] != "13900000002" {
		t.Fatalf("the later edit lost: phone %q", want[p]["phone"])
	}
}
