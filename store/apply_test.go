package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestMergeConcurrentEditsOfDifferentFieldsBothSurvive(t *testing.T) {
	rs := newReplicas(t, 2)
	a, b := rs[0], rs[1]
	id := newPerson(t, a, "张三", 1)
	pull(t, b, a)
	mustPut(t, a, KindPerson, id, map[string]string{"phone": "13800000001"})
	mustPut(t, b, KindPerson, id, map[string]string{"risk": "high"})
	syncAll(t, a, b)
	assertSameRecords(t, a, b)
	r := mustGet(t, b, id)
	if r.Fields["phone"] != "13800000001" || r.Fields["risk"] != "high" {
		t.Fatalf("merged fields %v", r.Fields)
	}
	if cs := assertSameConflicts(t, a, b); len(cs) != 0 {
		t.Fatalf("conflicts %v", conflictKeys(cs))
	}
}

func TestMergeSameFieldPicksOneWinnerAndKeepsLoser(t *testing.T) {
	rs := newReplicas(t, 3)
	a, b, c := rs[0], rs[1], rs[2]
	id := newPerson(t, a, "张三", 1)
	pull(t, b, a)
	pull(t, c, a)
	mustPut(t, a, KindPerson, id, map[string]string{"phone": "13800000001"})
	mustPut(t, b, KindPerson, id, map[string]string{"phone": "13900000002"})
	// c receives b first, then a; a and b receive each other.
	pull(t, c, b)
	pull(t, c, a)
	syncAll(t, a, b, c)
	assertSameRecords(t, a, b, c)
	cs := assertSameConflicts(t, a, b, c)
	if len(cs) != 1 {
		t.Fatalf("want one conflict, got %v", conflictKeys(cs))
	}
	va, vb := lastChange(t, a, id).Version(), lastChange(t, b, id).Version()
	winner, loser := "13800000001", "13900000002"
	if va.Less(vb) {
		winner, loser = loser, winner
	}
	if got := mustGet(t, c, id).Fields["phone"]; got != winner {
		t.Fatalf("winner %q, want the greater version's %q", got, winner)
	}
	if x := cs[0]; x.Kind != ConflictField || x.Field != "phone" || x.CurrentValue != winner || x.OtherValue != loser ||
		x.PersonID != id || x.OtherUser != "officer" || x.OtherTime.IsZero() {
		t.Fatalf("conflict %+v", x)
	}
}

// lastChange is the newest local change of a record on a store.
func lastChange(t *testing.T, s *Store, id string) *Change {
	t.Helper()
	var last *Change
	for _, c := range allChanges(t, s) {
		if c.EntityID == id && c.Device == s.Device() {
			last = c
		}
	}
	return last
}

func TestMergeSequentialEditIsNoConflict(t *testing.T) {
	rs := newReplicas(t, 2)
	a, b := rs[0], rs[1]
	id := newPerson(t, a, "张三", 1)
	mustPut(t, a, KindPerson, id, map[string]string{"phone": "13800000001"})
	pull(t, b, a)
	mustPut(t, b, KindPerson, id, map[string]string{"phone": "13900000002"})
	pull(t, a, b)
	mustPut(t, a, KindPerson, id, map[string]string{"phone": "13700000003"})
	syncAll(t, a, b)
	assertSameRecords(t, a, b)
	if cs := conflicts(t, a); len(cs) != 0 {
		t.Fatalf("sequential edits made conflicts %v", conflictKeys(cs))
	}
	if got := mustGet(t, b, id).Fields["phone"]; got != "13700000003" {
		t.Fatalf("phone %q, want the last edit", got)
	}
}

func TestMergeReorderedAndDuplicatedDelivery(t *testing.T) {
	rs := newReplicas(t, 3)
	a, b, c := rs[0], rs[1], rs[2]
	id := newPerson(t, a, "张三", 1)
	for _, p := range []string{"13800000001", "13900000002", "13700000003"} {
		mustPut(t, a, KindPerson, id, map[string]string{"phone": p})
	}
	chs := allChanges(t, a)
	slices.Reverse(chs)
	st, err := b.ApplyRemote(context.Background(), chs)
	if err != nil || st.Applied != len(chs) {
		t.Fatalf("reversed apply: %+v, %v", st, err)
	}
	// One change at a time, each twice, in reverse order, through Tx.ApplyRemote.
	for _, ch := range chs {
		for i := 0; i < 2; i++ {
			if err := c.Update(context.Background(), func(tx *Tx) error { return tx.ApplyRemote(ch) }); err != nil {
				t.Fatal(err)
			}
		}
	}
	st = pull(t, b, a)
	if st.Applied != 0 || st.Duplicate != len(chs) {
		t.Fatalf("second delivery: %+v", st)
	}
	want := mustGet(t, a, id)
	for _, s := range []*Store{b, c} {
		if got := mustGet(t, s, id); !reflect.DeepEqual(got, want) {
			t.Fatalf("after reordered delivery:\n got %+v\nwant %+v", got, want)
		}
	}
	if cs := append(conflicts(t, b), conflicts(t, c)...); len(cs) != 0 {
		t.Fatalf("reordered sequential edits made conflicts %v", conflictKeys(cs))
	}
	var n int
	if err := b.db.QueryRow("SELECT count(*) FROM merge_versions").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d merge rows left after reordered delivery, want 0", n)
	}
}

func TestMergeRemoteEditBeforeCreate(t *testing.T) {
	rs := newReplicas(t, 2)
	a, b := rs[0], rs[1]
	id := newPerson(t, a, "张三", 1)
	mustPut(t, a, KindPerson, id, map[string]string{"name": "张三丰"})
	chs := allChanges(t, a)
	edit := chs[len(chs)-1]
	if _, err := b.ApplyRemote(context.Background(), []*Change{edit}); err != nil {
		t.Fatal(err)
	}
	if r := mustGet(t, b, id); r.Fields["name"] != "张三丰" {
		t.Fatalf("edit before create: %v", r.Fields)
	}
	syncAll(t, a, b)
	assertSameRecords(t, a, b)
	if cs := conflicts(t, b); len(cs) != 0 {
		t.Fatalf("conflicts %v", conflictKeys(cs))
	}
	if e, ok := b.SearchEntry(id); !ok || e.Name != "张三丰" {
		t.Fatalf("search entry after merge: %+v %v", e, ok)
	}
}

func TestMergeArchiveVersusConcurrentEdit(t *testing.T) {
	for _, restore := range []bool{true, false} {
		rs := newReplicas(t, 2)
		a, b := rs[0], rs[1]
		id := newPerson(t, a, "张三", 1)
		pull(t, b, a)
		if err := a.Archive(context.Background(), id); err != nil {
			t.Fatal(err)
		}
		mustPut(t, b, KindPerson, id, map[string]string{"phone": "13800000001"})
		syncAll(t, a, b)
		assertSameRecords(t, a, b)
		r := mustGet(t, a, id)
		if !r.Archived || r.Fields["phone"] != "13800000001" {
			t.Fatalf("archive vs edit: archived=%v fields=%v", r.Archived, r.Fields)
		}
		cs := assertSameConflicts(t, a, b)
		if len(cs) != 1 || cs[0].Kind != ConflictArchive || !slices.Equal(cs[0].EditedFields, []string{"phone"}) {
			t.Fatalf("want one archive conflict, got %v", conflictKeys(cs))
		}
		if err := b.ResolveConflict(context.Background(), cs[0].ID, restore); err != nil {
			t.Fatal(err)
		}
		syncAll(t, a, b)
		assertSameRecords(t, a, b)
		if cs := assertSameConflicts(t, a, b); len(cs) != 0 {
			t.Fatalf("after resolving: %v", conflictKeys(cs))
		}
		if mustGet(t, a, id).Archived == restore {
			t.Fatalf("restore=%v: archived=%v", restore, !restore)
		}
	}
}

func TestMergeArchiveSeenEditIsNoConflict(t *testing.T) {
	rs := newReplicas(t, 2)
	a, b := rs[0], rs[1]
	id := newPerson(t, a, "张三", 1)
	pull(t, b, a)
	mustPut(t, b, KindPerson, id, map[string]string{"phone": "13800000001"})
	pull(t, a, b)
	if err := a.Archive(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	syncAll(t, a, b)
	if cs := assertSameConflicts(t, a, b); len(cs) != 0 {
		t.Fatalf("an archive that saw the edit made conflicts %v", conflictKeys(cs))
	}
}

func TestResolveFieldConflictClosesItEverywhere(t *testing.T) {
	for _, keepLoser := range []bool{true, false} {
		rs := newReplicas(t, 3)
		a, b, c := rs[0], rs[1], rs[2]
		id := newPerson(t, a, "张三", 1)
		syncAll(t, a, b, c)
		mustPut(t, a, KindPerson, id, map[string]string{"risk": "high"})
		mustPut(t, b, KindPerson, id, map[string]string{"risk": "low"})
		syncAll(t, a, b, c)
		cs := assertSameConflicts(t, a, b, c)
		if len(cs) != 1 {
			t.Fatalf("want one conflict, got %v", conflictKeys(cs))
		}
		want := cs[0].CurrentValue
		if keepLoser {
			want = cs[0].OtherValue
		}
		if err := c.ResolveConflict(context.Background(), cs[0].ID, keepLoser); err != nil {
			t.Fatal(err)
		}
		if n := len(conflicts(t, c)); n != 0 {
			t.Fatalf("resolving device still shows %d conflicts", n)
		}
		if err := c.ResolveConflict(context.Background(), cs[0].ID, keepLoser); !errors.Is(err, ErrNoConflict) {
			t.Fatalf("resolving twice: %v", err)
		}
		syncAll(t, a, b, c)
		assertSameRecords(t, a, b, c)
		if cs := assertSameConflicts(t, a, b, c); len(cs) != 0 {
			t.Fatalf("keepLoser=%v: still open %v", keepLoser, conflictKeys(cs))
		}
		if got := mustGet(t, a, id).Fields["risk"]; got != want {
			t.Fatalf("keepLoser=%v: risk %q, want %q", keepLoser, got, want)
		}
	}
}

func TestMergeSameValueTypedTwiceIsNoConflict(t *testing.T) {
	rs := newReplicas(t, 2)
	a, b := rs[0], rs[1]
	id := newPerson(t, a, "张三", 1)
	pull(t, b, a)
	mustPut(t, a, KindPerson, id, map[string]string{"risk": "high"})
	mustPut(t, b, KindPerson, id, map[string]string{"risk": "high"})
	syncAll(t, a, b)
	if cs := assertSameConflicts(t, a, b); len(cs) != 0 {
		t.Fatalf("same value twice: %v", conflictKeys(cs))
	}
	// Editing the field again closes the hidden twin for good: it does not
	// resurface as a conflict against the new value.
	mustPut(t, b, KindPerson, id, map[string]string{"risk": "low"})
	syncAll(t, a, b)
	if cs := assertSameConflicts(t, a, b); len(cs) != 0 {
		t.Fatalf("after a later edit: %v", conflictKeys(cs))
	}
}

func TestMergeDuplicateRegistrationThenCombinePersons(t *testing.T) {
	rs := newReplicas(t, 2)
	a, b := rs[0], rs[1]
	pa := newPerson(t, a, "张三", 7)
	pb := newPerson(t, b, "张三", 7)
	mustPut(t, a, KindPerson, pa, map[string]string{"phone": "13800000001"})
	mustPut(t, b, KindPerson, pb, map[string]string{"phone": "13900000002", "village": "520102016001"})
	va := mustPut(t, a, KindVisit, "", map[string]string{"person": pa, "date": "2026-11-01", "visitor_kind": "staff", "mode": "home"})
	tb := mustPut(t, b, KindDrugTest, "", map[string]string{"person": pb, "date": "2026-11-02", "sample": "urine", "result": "negative"})
	syncAll(t, a, b)
	assertSameRecords(t, a, b)
	pairs, err := b.DuplicatePairs(context.Background())
	if err != nil || len(pairs) != 1 {
		t.Fatalf("duplicate pairs %+v, %v", pairs, err)
	}
	keep, drop := pairs[0].Keep, pairs[0].Drop
	if keep != min(pa, pb) || !slices.Equal(pairs[0].Differs, []string{"phone"}) {
		t.Fatalf("pair %+v", pairs[0])
	}
	if err := b.CombinePersons(context.Background(), keep, drop); err != nil {
		t.Fatal(err)
	}
	syncAll(t, a, b)
	assertSameRecords(t, a, b)
	for _, s := range rs {
		if pairs, err := s.DuplicatePairs(context.Background()); err != nil || len(pairs) != 0 {
			t.Fatalf("still duplicates %+v (error %v)", pairs, err)
		}
		for _, id := range []string{va, tb} {
			if r := mustGet(t, s, id); r.PersonID != keep || r.Archived {
				t.Fatalf("record %s: person %s archived %v, want %s", id, r.PersonID, r.Archived, keep)
			}
		}
		k := mustGet(t, s, keep)
		if k.Fields["village"] != "520102016001" || !mustGet(t, s, drop).Archived {
			t.Fatalf("kept person %v", k.Fields)
		}
		if want := "[merge " + drop + "] phone=" + mustGet(t, s, drop).Fields["phone"]; k.Fields["notes"] != want {
			t.Fatalf("notes %q, want %q", k.Fields["notes"], want)
		}
	}
	if res := b.Search(searchAll()); res.Total != 1 {
		t.Fatalf("search finds %d persons, want 1", res.Total)
	}
}

// Two officers, each on their own device, combine the same pair of
// duplicates before syncing: both keep the smaller id and write the same
// values, so the devices agree without a conflict.
func TestCombiningTheSamePairOnTwoDevicesConverges(t *testing.T) {
	rs := newReplicas(t, 2)
	a, b := rs[0], rs[1]
	pa := newPerson(t, a, "李四", 9)
	pb := newPerson(t, b, "李四", 9)
	mustPut(t, b, KindVisit, "", map[string]string{"person": pb, "date": "2026-11-01", "visitor_kind": "staff", "mode": "home"})
	syncAll(t, a, b)
	for _, s := range rs {
		pairs, err := s.DuplicatePairs(context.Background())
		if err != nil || len(pairs) != 1 || len(pairs[0].Differs) != 0 {
			t.Fatalf("pairs %+v, %v", pairs, err)
		}
		if err := s.CombinePersons(context.Background(), pairs[0].Keep, pairs[0].Drop); err != nil {
			t.Fatal(err)
		}
	}
	syncAll(t, a, b)
	assertSameRecords(t, a, b)
	if cs := assertSameConflicts(t, a, b); len(cs) != 0 {
		t.Fatalf("concurrent automatic merges conflict: %v", conflictKeys(cs))
	}
	if mustGet(t, a, max(pa, pb)).Archived != true || mustGet(t, a, min(pa, pb)).Archived {
		t.Fatal("the smaller id must be kept")
	}
}

func TestMergeRejectsMalformedChangesAndKeepsTheRest(t *testing.T) {
	rs := newReplicas(t, 2)
	a, b := rs[0], rs[1]
	id := newPerson(t, a, "张三", 1)
	good := allChanges(t, a)
	base := *good[len(good)-1]
	mk := func(edit func(c *Change)) *Change {
		c := base
		c.HLC.Counter += 7
		c.Fields = map[string]string{"phone": "13800000001"}
		c.Bases = map[string][]string{}
		edit(&c)
		return &c
	}
	bad := []*Change{
		mk(func(c *Change) { c.Kind = "spaceship" }),
		mk(func(c *Change) { c.Fields = map[string]string{"shoe_size": "42"} }),
		mk(func(c *Change) { c.HLC = HLC{} }),
		mk(func(c *Change) { c.Bases = map[string][]string{"phone": {"9999999999999.000000@x"}} }),
		mk(func(c *Change) { c.EntityID = "../../etc" }),
		mk(func(c *Change) { c.Kind = KindVisit }), // the record is a person
		nil,
	}
	batch := append(append([]*Change{}, bad...), good...)
	st, err := b.ApplyRemote(context.Background(), batch)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Rejected) != len(bad) || st.Applied != len(good) {
		t.Fatalf("stats %+v", st)
	}
	for _, r := range st.Rejected {
		if !errors.Is(r, ErrBadChange) {
			t.Fatalf("rejection %v is not ErrBadChange", r)
		}
	}
	if mustGet(t, b, id).Fields["phone"] != "" {
		t.Fatal("a rejected change was applied")
	}
	err = b.Update(context.Background(), func(tx *Tx) error { return tx.ApplyRemote(bad[0]) })
	if !errors.Is(err, ErrBadChange) {
		t.Fatalf("Tx.ApplyRemote: %v", err)
	}
}

// skewed returns a clock offset from the real one by d, which can jump.
type skewed struct{ d time.Duration }

func (s *skewed) now() time.Time { return time.Now().Add(s.d) }

func TestMergeWithWrongAndJumpingClocks(t *testing.T) {
	// Within the bound on how far ahead a change may be stamped (see
	// TestChangeFromTheFutureIsRefused for beyond it).
	ahead, behind, jumpy := &skewed{20 * time.Minute}, &skewed{-15 * time.Minute}, &skewed{}
	a := newClockReplica(t, ahead.now)
	b := newClockReplica(t, behind.now)
	c := newClockReplica(t, jumpy.now)
	id := newPerson(t, a, "张三", 1) // written "twenty minutes from now"
	pull(t, b, a)
	// b's clock is behind a's readings, yet its edit, made after seeing
	// a's, must order after it and win without conflict.
	mustPut(t, b, KindPerson, id, map[string]string{"phone": "13800000001"})
	if lb, la := lastChange(t, b, id).HLC, lastChange(t, a, id).HLC; !la.Less(lb) {
		t.Fatalf("b's edit %v does not order after a's %v", lb, la)
	}
	pull(t, c, b)
	jumpy.d = -30 * time.Minute // c's clock jumps half an hour back
	mustPut(t, c, KindPerson, id, map[string]string{"phone": "13900000002"})
	mustPut(t, a, KindPerson, id, map[string]string{"risk": "high"})
	syncAll(t, a, b, c)
	assertSameRecords(t, a, b, c)
	if got := mustGet(t, a, id).Fields; got["phone"] != "13900000002" || got["risk"] != "high" {
		t.Fatalf("fields %v", got)
	}
	if cs := assertSameConflicts(t, a, b, c); len(cs) != 0 {
		t.Fatalf("sequential edits across wrong clocks conflict: %v", conflictKeys(cs))
	}
}

func TestTransferPersonMovesFileAndKeepsOldDeviceEdits(t *testing.T) {
	rs := newReplicas(t, 2)
	a, b := rs[0], rs[1]
	id := newPerson(t, a, "张三", 1)
	v := mustPut(t, a, KindVisit, "", map[string]string{"person": id, "date": "2026-11-01", "visitor_kind": "staff", "mode": "home"})
	pull(t, b, a)
	const to = "520102017" // 西湖路街道, same district
	if err := a.TransferPerson(context.Background(), id, to); err != nil {
		t.Fatal(err)
	}
	mustPut(t, b, KindVisit, v, map[string]string{"notes": "入户走访"}) // meanwhile, on the old township's laptop
	syncAll(t, a, b)
	assertSameRecords(t, a, b)
	for _, rid := range []string{id, v} {
		if r := mustGet(t, b, rid); r.Township != to {
			t.Fatalf("%s township %s, want %s", r.Kind, r.Township, to)
		}
	}
	if mustGet(t, a, v).Fields["notes"] != "入户走访" {
		t.Fatal("edit made on the old township's device was lost")
	}
	if err := a.TransferPerson(context.Background(), id, "999999999"); !errors.Is(err, ErrUnknownTown) {
		t.Fatalf("unknown township: %v", err)
	}
}

func TestCountySessionMayMerge(t *testing.T) {
	rs := newReplicas(t, 2)
	a, b := rs[0], rs[1]
	newPerson(t, a, "张三", 1)
	b.mu.Lock()
	b.session.Role = "county"
	b.mu.Unlock()
	if st := pull(t, b, a); st.Applied == 0 {
		t.Fatalf("county device merged nothing: %+v", st)
	}
}

func TestDuplicatePersonsStayEditableUntilCombined(t *testing.T) {
	rs := newReplicas(t, 2)
	a, b := rs[0], rs[1]
	pa := newPerson(t, a, "张三", 7)
	pb := newPerson(t, b, "张三", 7)
	syncAll(t, a, b)
	for _, id := range []string{pa, pb} {
		mustPut(t, a, KindPerson, id, map[string]string{"phone": "13800000001"})
	}
	if _, err := a.Put(context.Background(), KindPerson, "", map[string]string{"name": "张三", "id_number": testIDNumber(7)}); err == nil {
		t.Fatal("a third registration of the same ID number was accepted")
	}
}

func TestMultiInsertFollowsChangeInsert(t *testing.T) {
	if !strings.Contains(changeInsert, oneRow) {
		t.Fatalf("changeInsert no longer holds %q; update multiInsert", oneRow)
	}
}

func TestVisitAddedWhileAnotherDeviceCombinedThePerson(t *testing.T) {
	rs := newReplicas(t, 2)
	a, b := rs[0], rs[1]
	pa := newPerson(t, a, "张三", 7)
	pb := newPerson(t, b, "张三", 7)
	syncAll(t, a, b)
	keep, drop := min(pa, pb), max(pa, pb)
	if err := a.CombinePersons(context.Background(), keep, drop); err != nil {
		t.Fatal(err)
	}
	v := mustPut(t, b, KindVisit, "", map[string]string{"person": drop, "date": "2026-11-03", "visitor_kind": "staff", "mode": "home"})
	syncAll(t, a, b)
	pairs, err := a.DuplicatePairs(context.Background())
	if err != nil || len(pairs) != 1 || !pairs[0].DropArchived || pairs[0].Keep != keep || pairs[0].Drop != drop {
		t.Fatalf("pairs %+v, %v", pairs, err)
	}
	if err := a.CombinePersons(context.Background(), keep, drop); err != nil {
		t.Fatal(err)
	}
	syncAll(t, a, b)
	assertSameRecords(t, a, b)
	if r := mustGet(t, b, v); r.PersonID != keep {
		t.Fatalf("visit still on %s", r.PersonID)
	}
	if pairs, err := b.DuplicatePairs(context.Background()); err != nil || len(pairs) != 0 {
		t.Fatalf("pairs after second merge %+v (error %v)", pairs, err)
	}
}

func TestMergeKeepsSearchIndexInStep(t *testing.T) {
	rs := newReplicas(t, 2)
	a, b := rs[0], rs[1]
	p1 := newPerson(t, a, "张三", 1)
	p2 := newPerson(t, a, "李四", 2)
	mustPut(t, a, KindMeasure, "", map[string]string{"person": p1, "type": "detox", "start_date": "2025-01-01"})
	pull(t, b, a)
	if err := sameIndexAsReload(b); err != nil {
		t.Fatal(err)
	}
	mustPut(t, a, KindMeasure, "", map[string]string{"person": p1, "type": "rehab", "start_date": "2026-01-01"})
	mustPut(t, a, KindPerson, p2, map[string]string{"village": "520102016001"})
	if err := a.Archive(context.Background(), p2); err != nil {
		t.Fatal(err)
	}
	// Measures before their person, in another batch.
	p3 := newPerson(t, a, "王五", 3)
	mustPut(t, a, KindMeasure, "", map[string]string{"person": p3, "type": "detox", "start_date": "2024-01-01"})
	chs := allChanges(t, a)
	last := len(chs) - 1
	if _, err := b.ApplyRemote(context.Background(), chs[last:]); err != nil {
		t.Fatal(err)
	}
	pull(t, b, a)
	if err := sameIndexAsReload(b); err != nil {
		t.Fatal(err)
	}
	if e, ok := b.SearchEntry(p1); !ok || e.MeasureType != "rehab" {
		t.Fatalf("entry %+v", e)
	}
}

func TestHLCStringMatchesItsFormat(t *testing.T) {
	for _, h := range []HLC{{}, {Wall: 1, Counter: 2}, {Wall: 1795947879214, Counter: 999999},
		{Wall: 9999999999999}, {Wall: -5, Counter: 3}, {Wall: 12345678901234}, {Counter: 1000000}} {
		if got, want := h.String(), fmt.Sprintf(hlcFormat, h.Wall, h.Counter); got != want {
			t.Errorf("%+v: %q, want %q", h, got, want)
		}
	}
}

func TestResolveIDNumberConflictRederivesBirthDate(t *testing.T) {
	rs := newReplicas(t, 2)
	a, b := rs[0], rs[1]
	id := newPerson(t, a, "张三", 1)
	pull(t, b, a)
	other := idWithCheck("52010219851231456")
	mustPut(t, a, KindPerson, id, map[string]string{"id_number": testIDNumber(2)})
	mustPut(t, b, KindPerson, id, map[string]string{"id_number": other})
	syncAll(t, a, b)
	cs := assertSameConflicts(t, a, b)
	if len(cs) != 1 || cs[0].Field != "id_number" {
		t.Fatalf("want one id_number conflict (derived fields follow), got %v", conflictKeys(cs))
	}
	// While the conflict is open, birth date and sex are the winner's.
	if r := mustGet(t, a, id); r.Versions["birth_date"] != r.Versions["id_number"] || r.Versions["sex"] != r.Versions["id_number"] {
		t.Fatalf("derived fields not from the winning edit: %v", r.Versions)
	}
	keepLoser := cs[0].OtherValue == other
	if err := a.ResolveConflict(context.Background(), cs[0].ID, keepLoser); err != nil {
		t.Fatal(err)
	}
	syncAll(t, a, b)
	r := mustGet(t, b, id)
	if r.Fields["id_number"] != other || r.Fields["birth_date"] != "1985-12-31" {
		t.Fatalf("after resolution: %v", r.Fields)
	}
	if r.Versions["birth_date"] != r.Versions["id_number"] {
		t.Fatalf("birth date %s not written with the ID number %s", r.Versions["birth_date"], r.Versions["id_number"])
	}
	if cs := assertSameConflicts(t, a, b); len(cs) != 0 {
		t.Fatalf("still open %v", conflictKeys(cs))
	}
}

func TestSameVersionWithOtherContentIsRejected(t *testing.T) {
	rs := newReplicas(t, 2)
	a, b := rs[0], rs[1]
	id := newPerson(t, a, "张三", 1)
	mustPut(t, a, KindPerson, id, map[string]string{"phone": "13800000001"})
	pull(t, b, a)
	chs := allChanges(t, a)
	clone := *chs[len(chs)-1] // a copied database wrote another edit under the same version
	clone.Fields = map[string]string{"phone": "13900000002"}
	for _, batch := range [][]*Change{{&clone}, {chs[len(chs)-1], &clone}} {
		st, err := b.ApplyRemote(context.Background(), batch)
		if err != nil || len(st.Rejected) != 1 || st.Applied != 0 {
			t.Fatalf("stats %+v, %v", st, err)
		}
	}
	st := pull(t, b, a)
	if st.Duplicate != len(chs) || st.Applied != 0 {
		t.Fatalf("true duplicates: %+v", st)
	}
}

func TestRedeliveryWithBasesReencodedIsDuplicate(t *testing.T) {
	rs := newReplicas(t, 2)
	a, b := rs[0], rs[1]
	newPerson(t, a, "张三", 1)
	pull(t, b, a)
	for _, c := range allChanges(t, a) {
		// An encoding may drop empty base lists or send none at all.
		for _, bases := range []map[string][]string{nil, {"name": {}}} {
			d := *c
			if len(c.Bases) == 0 {
				d.Bases = bases
			}
			st, err := b.ApplyRemote(context.Background(), []*Change{&d})
			if err != nil || st.Duplicate != 1 {
				t.Fatalf("redelivery %+v: %+v, %v", d.Bases, st, err)
			}
		}
	}
}
