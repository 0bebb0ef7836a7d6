package report

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
)

// A person leaves on October 28 (typed in on November 3), their file is
// erased here, and they come back on December 10. October was submitted
// with them gone and one transfer out; after their return it still is, and
// November does not count them (they were 西湖路街道's), December does,
// with one transfer in.
func TestTransferAwayAndBackKeepsTheMonthTheyLeft(t *testing.T) {
	f, _, x, oct := awayAndBack(t)
	ctx := context.Background()
	if _, err := f.s.Get(ctx, x); err != nil {
		t.Fatalf("张三 is not back: %v", err)
	}
	f.clk.at("2026-12-12 10:00")
	r := generate(t, f.s, "2026-10")
	if r.Status != StatusSubmitted || len(r.Changed) != 0 {
		t.Errorf("October after the return: %s, changed %v", r.Status, r.Changed)
	}
	sameCounts(t, "October after the return", r.Total.Counts, nonZero(oct.Total.Counts))
	nov, dec := generate(t, f.s, "2026-11").Total.Counts, generate(t, f.s, "2026-12").Total.Counts
	if nov["persons"] != 1 || nov["transfers_out"] != 0 || nov["transfers_in"] != 0 {
		t.Errorf("November: %v (张三 was away)", nov)
	}
	if dec["persons"] != 2 || dec["transfers_in"] != 1 || dec["transfers_out"] != 0 || dec["detox_pending"] != 1 {
		t.Errorf("December: %v (张三 back Dec 10, pending report-in)", dec)
	}
}

// Back on December 10, 张三 leaves again on January 15 and their file is
// erased again: what is kept of them is kept anew (not the first
// departure's), so October and January count a transfer out each,
// December counts them and their return, January does not count them.
func TestSecondTransferAwayIsKeptAnew(t *testing.T) {
	f, _, x, oct := awayAndBack(t)
	ctx := context.Background()
	f.clk.at("2027-01-15 10:00")
	if err := f.s.StartTransfer(ctx, x, otherTownship, "2027-01-15"); err != nil {
		t.Fatal(err)
	}
	if err := KeepDeparted(ctx, f.s); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.PurgeTransferred(ctx, 1<<62); err != nil {
		t.Fatal(err)
	}
	f.clk.at("2027-02-03 10:00")
	sameCounts(t, "October", generate(t, f.s, "2026-10").Total.Counts, nonZero(oct.Total.Counts))
	for month, want := range map[string][3]int{"2026-11": {1, 0, 0}, "2026-12": {2, 1, 0}, "2027-01": {1, 0, 1}} {
		c := generate(t, f.s, month).Total.Counts
		if got := [3]int{c["persons"], c["transfers_in"], c["transfers_out"]}; got != want {
			t.Errorf("%s: persons, in, out %v, want %v (张三 away Oct 28, back Dec 10, away Jan 15)", month, got, want)
		}
	}
}

// awayAndBack: 张三 and 李四 in 社区戒毒 since August; 张三 leaves on
// October 28 (typed in on November 3); October is submitted on November 4,
// 张三's file erased, and on December 10 西湖路街道 transfers them back.
func awayAndBack(t *testing.T) (f *fixture, other *store.Store, x string, oct *Monthly) {
	f = emptyFixture(t, "2026-09-05 09:00")
	ctx := context.Background()
	x = f.person(map[string]string{"name": "张三", "id_number": "52010219900101123X", "village": v1},
		map[string]string{"type": "detox", "received_date": "2026-08-01", "report_in_date": "2026-08-02", "status": "active"})
	f.person(map[string]string{"name": "李四", "id_number": "520102198505052348", "village": v1},
		map[string]string{"type": "detox", "received_date": "2026-08-01", "report_in_date": "2026-08-02", "status": "active"})
	other, err := store.Create(ctx, filepath.Join(t.TempDir(), "other.db"), otherTownship, "officer", "secret-pass",
		store.Options{KDF: storetest.FastKDF, Now: f.clk.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })

	f.clk.at("2026-11-03 09:00")
	if err := f.s.StartTransfer(ctx, x, otherTownship, "2026-10-28"); err != nil {
		t.Fatal(err)
	}
	var cty county
	cty.push(t, f.s)
	cty.route(t, other, otherTownship)
	f.clk.at("2026-11-04 09:00")
	oct = generate(t, f.s, "2026-10")
	if oct.Total.Counts["transfers_out"] != 1 || oct.Total.Counts["persons"] != 1 {
		t.Fatalf("October before the return: %v", oct.Total.Counts)
	}
	if _, err := Submit(ctx, f.s, oct, f.clk.t); err != nil {
		t.Fatal(err)
	}
	if err := KeepDeparted(ctx, f.s); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.PurgeTransferred(ctx, 1<<62); err != nil {
		t.Fatal(err)
	}

	f.clk.at("2026-12-10 10:00")
	if err := other.StartTransfer(ctx, x, f.s.Township(), "2026-12-10"); err != nil {
		t.Fatal(err)
	}
	cty.push(t, other)
	cty.route(t, f.s, f.s.Township())
	return f, other, x, oct
}

// county keeps every change the devices pushed, as the county server
// does, so that a file moving township reaches the new one whole, even
// after the device that typed part of it erased it.
type county struct{ log []*store.Change }

// push sends the county what a device typed since its last push.
func (c *county) push(t *testing.T, from *store.Store) {
	t.Helper()
	chs, err := from.LocalChanges(context.Background(), 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range chs {
		if !slices.ContainsFunc(c.log, func(had *store.Change) bool { return had.Version() == ch.Version() }) {
			c.log = append(c.log, ch)
		}
	}
}

// route sends the device to what the county would when a person's file
// moves to its township: the move first, then the rest.
func (c *county) route(t *testing.T, to *store.Store, township string) {
	t.Helper()
	ctx := context.Background()
	var moved, rest []*store.Change
	for _, ch := range c.log {
		if ch.Kind == store.KindPerson && ch.Fields[store.FieldTownship] == township {
			moved = append(moved, ch)
		} else {
			rest = append(rest, ch)
		}
	}
	for _, batch := range [][]*store.Change{moved, rest} {
		if _, err := to.ApplyRemote(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
}

func nonZero(c Counts) Counts {
	out := Counts{}
	for k, v := range c {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}
