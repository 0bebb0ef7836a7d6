package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rehabdesk/store/search"
)

const otherTownship = "520102017" // 西湖路街道, same district as testTownship

// transferFixture is a township with two persons, 张三 with a full file
// (measure, visit, drug test, attachment) and 李四, then 张三 transferred.
type transferFixture struct {
	s                       *Store
	p, q, measure, visit, t string
}

func newTransferFixture(t *testing.T, now func() time.Time) *transferFixture {
	t.Helper()
	s := newTestStoreAt(t, filepath.Join(t.TempDir(), "a.db"), now)
	f := &transferFixture{s: s}
	f.p = newPerson(t, s, "张三", 1)
	f.q = newPerson(t, s, "李四", 2)
	f.measure = mustPut(t, s, KindMeasure, "", map[string]string{"person": f.p, "type": "detox", "status": "active", "start_date": "2026-01-05"})
	f.visit = mustPut(t, s, KindVisit, "", map[string]string{"person": f.p, "date": "2026-10-01", "visitor_kind": "staff", "mode": "home"})
	f.t = mustPut(t, s, KindDrugTest, "", map[string]string{"person": f.p, "date": "2026-10-02", "sample": "urine", "result": "negative"})
	mustPut(t, s, KindMeasure, "", map[string]string{"person": f.q, "type": "rehab", "status": "active", "start_date": "2026-02-01"})
	return f
}

func (f *transferFixture) transfer(t *testing.T) {
	t.Helper()
	if err := f.s.TransferPerson(context.Background(), f.p, otherTownship); err != nil {
		t.Fatal(err)
	}
}

func searchIDs(s *Store, text string) []string {
	var ids []string
	for _, e := range s.Search(search.Query{Text: text, Limit: 100}).Entries {
		ids = append(ids, e.ID)
	}
	return ids
}

func TestTransferredPersonLeavesEveryViewOfTheOldTownship(t *testing.T) {
	ctx := context.Background()
	f := newTransferFixture(t, nil)
	s := f.s
	if got := searchIDs(s, "zs"); len(got) != 1 {
		t.Fatalf("before the transfer 张三 is found: %v", got)
	}
	f.transfer(t)
	check := func(when string) {
		t.Helper()
		if got := searchIDs(s, ""); len(got) != 1 || got[0] != f.q {
			t.Errorf("%s: people list %v, want only 李四", when, got)
		}
		if got := searchIDs(s, "zs"); len(got) != 0 {
			t.Errorf("%s: search for 张三 finds %v", when, got)
		}
		if _, ok := s.SearchEntry(f.p); ok {
			t.Errorf("%s: search entry of 张三 still readable", when)
		}
		all, err := s.LoadAll(ctx, KindPerson, KindMeasure, KindVisit, KindDrugTest)
		if err != nil {
			t.Fatal(err)
		}
		for k, rs := range all {
			for _, r := range rs {
				if recordPerson(r) == f.p {
					t.Errorf("%s: LoadAll gives 张三's %s", when, k)
				}
			}
		}
		for _, k := range []Kind{KindPerson, KindMeasure, KindVisit, KindDrugTest} {
			rs, err := s.List(ctx, k, ListFilter{PersonID: f.p, IncludeArchived: true})
			if err != nil || len(rs) != 0 {
				t.Errorf("%s: List %s of 张三: %d records, %v", when, k, len(rs), err)
			}
		}
		for _, id := range []string{f.p, f.visit, f.t} {
			_, err := s.Get(ctx, id)
			var te *TransferredError
			if !errors.As(err, &te) || te.To != otherTownship || te.Name != "张三" || te.PersonID != f.p || !errors.Is(err, ErrNotFound) {
				t.Errorf("%s: Get %s: %v, want transferred to %s", when, id, err, otherTownship)
			}
		}
		if _, err := s.History(ctx, f.p); !errors.Is(err, ErrTransferred) {
			t.Errorf("%s: History of 张三: %v", when, err)
		}
	}
	check("after the transfer")
	s.Lock() // the next sign-in reads the sealed index snapshot
	if err := s.Unlock(ctx, "officer", "secret-pass"); err != nil {
		t.Fatal(err)
	}
	check("after signing in again")
	ts, err := s.Transfers(ctx)
	if err != nil || len(ts) != 1 || ts[0].Name != "张三" || ts[0].To != otherTownship || ts[0].Purged {
		t.Fatalf("tombstones: %+v, %v", ts, err)
	}
}

func TestTransferredPersonCannotBeEditedOnTheOldTownship(t *testing.T) {
	ctx := context.Background()
	f := newTransferFixture(t, nil)
	f.transfer(t)
	s := f.s
	attempts := map[string]error{
		"edit person": func() error {
			_, err := s.Put(ctx, KindPerson, f.p, map[string]string{"phone": "13800000001"})
			return err
		}(),
		"edit visit": func() error { _, err := s.Put(ctx, KindVisit, f.visit, map[string]string{"notes": "x"}); return err }(),
		"new visit": func() error {
			_, err := s.Put(ctx, KindVisit, "", map[string]string{"person": f.p, "date": "2026-11-02", "visitor_kind": "staff", "mode": "home"})
			return err
		}(),
		"archive":     s.Archive(ctx, f.p),
		"transfer on": s.TransferPerson(ctx, f.p, testTownship),
		"register again": func() error {
			_, err := s.Put(ctx, KindPerson, "", map[string]string{"name": "张三", "id_number": testIDNumber(1)})
			return err
		}(),
		// a duplicate pair shown before the transfer synced
		"merge into": s.CombinePersons(ctx, f.p, f.q),
		"merge from": s.CombinePersons(ctx, f.q, f.p),
	}
	for what, err := range attempts {
		if !errors.Is(err, ErrTransferred) {
			t.Errorf("%s: %v, want ErrTransferred", what, err)
		}
	}
	if _, err := s.Put(ctx, KindPerson, f.q, map[string]string{"notes": "仍在本镇"}); err != nil {
		t.Errorf("editing a person who stayed: %v", err)
	}
	if ms, err := s.List(ctx, KindMeasure, ListFilter{PersonID: f.q}); err != nil || len(ms) != 1 {
		t.Errorf("李四's measure after the refused merges: %d, %v", len(ms), err)
	}
}

func TestMonthlyRecordsAsOfCountsTransferredPersonOnlyBeforeTheMove(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 10, 10, 12, 0, 0, 0, time.UTC)
	f := newTransferFixture(t, func() time.Time { return now })
	now = time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC)
	f.transfer(t)
	count := func(at time.Time) (persons, measures int) {
		t.Helper()
		recs, err := f.s.RecordsAsOf(ctx, at, KindPerson, KindMeasure)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs[KindPerson] {
			if r.ID == f.p {
				persons++
			}
		}
		for _, r := range recs[KindMeasure] {
			if r.ID == f.measure {
				measures++
			}
		}
		return persons, measures
	}
	if p, m := count(time.Date(2026, 10, 31, 23, 0, 0, 0, time.UTC)); p != 1 || m != 1 {
		t.Errorf("October, before the transfer: 张三 counted %d times, measure %d, want 1 and 1", p, m)
	}
	if p, m := count(time.Date(2026, 11, 30, 23, 0, 0, 0, time.UTC)); p != 0 || m != 0 {
		t.Errorf("November, after the transfer: 张三 counted %d times, measure %d, want 0", p, m)
	}
}

// rawCount counts rows of a table matching a condition, bypassing every view.
func rawCount(t *testing.T, s *Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func maxSeq(t *testing.T, s *Store) int64 {
	t.Helper()
	var n int64
	if err := s.db.QueryRow("SELECT coalesce(max(seq), 0) FROM changes").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPurgeWaitsForThePushThenErasesTheFileAndKeepsItErased(t *testing.T) {
	ctx := context.Background()
	f := newTransferFixture(t, nil)
	s := f.s
	scan := []byte("决定书扫描件 of 张三")
	h, err := s.PutBlob(ctx, scan)
	if err != nil {
		t.Fatal(err)
	}
	mustPut(t, s, KindAttachment, "", map[string]string{"person": f.p, "kind": "decision", "filename": "d.pdf", "sha256": h})
	drafts := map[string]bool{"visit::" + f.p: false, "person:" + f.p + ":": false, "visit::" + f.q: true}
	for key := range drafts {
		if err := s.SaveDraft(ctx, key, map[string]string{"notes": "未保存"}); err != nil {
			t.Fatal(err)
		}
	}
	f.transfer(t)
	history := allChanges(t, s) // what the county would send again

	if n, err := s.PurgeTransferred(ctx, 0); err != nil || n != 0 {
		t.Fatalf("purged %d files (%v) with every change still to push", n, err)
	}
	if n, err := s.PurgeTransferred(ctx, maxSeq(t, s)); err != nil || n != 0 {
		t.Fatalf("purged %d files (%v) before the attachment was uploaded", n, err)
	}
	if _, err := s.db.Exec("INSERT INTO sync_blobs(hash, direction) VALUES(?, 'up')", h); err != nil {
		t.Fatal(err)
	}
	if n, err := s.PurgeTransferred(ctx, maxSeq(t, s)); err != nil || n != 1 {
		t.Fatalf("purge after the push: %d files, %v", n, err)
	}
	for what, n := range map[string]int{
		"records": rawCount(t, s, "SELECT count(*) FROM records WHERE id = ? OR person_id = ?", f.p, f.p),
		"changes": rawCount(t, s, "SELECT count(*) FROM changes WHERE person_id = ? OR entity_id IN (?, ?, ?, ?)", f.p, f.p, f.measure, f.visit, f.t),
		"blob":    rawCount(t, s, "SELECT count(*) FROM blob_data WHERE hash = ?", h),
	} {
		if n != 0 {
			t.Errorf("%s of 张三 left on the device: %d", what, n)
		}
	}
	if rawCount(t, s, "SELECT count(*) FROM records WHERE id = ?", f.q) != 1 {
		t.Fatal("李四 was erased too")
	}
	for key, kept := range drafts {
		if _, _, ok, err := s.Draft(ctx, key); err != nil || ok != kept {
			t.Errorf("unsaved form %q kept=%v (%v), want %v", key, ok, err, kept)
		}
	}
	if _, err := s.Get(ctx, f.p); !errors.Is(err, ErrTransferred) {
		t.Errorf("Get after the purge: %v", err)
	}
	snapshotHolds(t, s, "张三", false)
	snapshotHolds(t, s, "李四", true)

	// A re-enrolled device pulls the township's feed again: the old file stays out.
	if _, err := s.ApplyRemote(ctx, history); err != nil {
		t.Fatal(err)
	}
	if n := rawCount(t, s, "SELECT count(*) FROM records WHERE id = ? OR person_id = ?", f.p, f.p); n != 0 {
		t.Fatalf("old changes brought back %d records of 张三", n)
	}
	ts, err := s.Transfers(ctx)
	if err != nil || len(ts) != 1 || !ts[0].Purged || ts[0].Name != "张三" {
		t.Fatalf("tombstone after the purge: %+v, %v", ts, err)
	}
}

// snapshotHolds checks whether the sealed search snapshot on disk holds a name.
func snapshotHolds(t *testing.T, s *Store, name string, want bool) {
	t.Helper()
	_, es, ok, err := s.readSnapshot(context.Background(), s.db, s.seal)
	if err != nil || !ok {
		t.Fatalf("snapshot: ok=%v, %v", ok, err)
	}
	got := false
	for _, e := range es {
		got = got || e.Name == name
	}
	if got != want {
		t.Errorf("search snapshot holds %s: %v, want %v", name, got, want)
	}
}

func TestPersonTransferredBackAfterThePurgeComesBackWhole(t *testing.T) {
	ctx := context.Background()
	f := newTransferFixture(t, nil)
	a := f.s
	b, err := Create(ctx, filepath.Join(t.TempDir(), "b.db"), otherTownship, "officer", "secret-pass", Options{KDF: fastKDF})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	f.transfer(t)
	pull(t, b, a) // the county routes the whole file to the new township
	if _, err := a.PurgeTransferred(ctx, maxSeq(t, a)); err != nil {
		t.Fatal(err)
	}
	mustPut(t, b, KindPerson, f.p, map[string]string{"phone": "13800000001"})
	if err := b.TransferPerson(ctx, f.p, testTownship); err != nil {
		t.Fatal(err)
	}
	// What the county sends back: the transfer first, then the whole file.
	var back, rest []*Change
	for _, c := range allChanges(t, b) {
		if _, moved := c.Fields[FieldTownship]; moved && c.Kind == KindPerson && c.Fields[FieldTownship] == testTownship {
			back = append(back, c)
		} else {
			rest = append(rest, c)
		}
	}
	if _, err := a.ApplyRemote(ctx, back); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ApplyRemote(ctx, rest); err != nil {
		t.Fatal(err)
	}
	p, err := a.Get(ctx, f.p)
	if err != nil || p.Fields["name"] != "张三" || p.Fields["phone"] != "13800000001" {
		t.Fatalf("back in the township: %v, %v", p, err)
	}
	if v, err := a.Get(ctx, f.visit); err != nil || v.Fields["mode"] != "home" {
		t.Fatalf("visit: %v, %v", v, err)
	}
	if got := searchIDs(a, "zs"); len(got) != 1 {
		t.Fatalf("search after the return: %v", got)
	}
	if ts, err := a.Transfers(ctx); err != nil || len(ts) != 0 {
		t.Fatalf("tombstone kept after the return: %+v (error %v)", ts, err)
	}
}

func TestTransferredErrorNamesNoPersonalValue(t *testing.T) {
	e := &TransferredError{Transfer{PersonID: "p1", Name: "张三", To: otherTownship, At: time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC)}}
	if msg := e.Error(); strings.Contains(msg, "张三") || !strings.Contains(msg, otherTownship) || !strings.Contains(msg, "2026-11-15") {
		t.Fatalf("error text %q", msg)
	}
	key, args := e.MessageKey()
	if key != "transferred.error" || len(args) != 3 || args[0] != "张三" || args[1] != "2026-11-15" || args[2] != "西湖路街道" {
		t.Fatalf("message %s %v", key, args)
	}
}

// A measure edited here while it was 李四's, then moved to 张三 by another
// device, which then transferred 张三: the purge must wait for that edit to
// be pushed, since erasing 张三's file erases the measure and its log.
func TestPurgeWaitsForAnEditOfARecordMovedToThePersonElsewhere(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := newTestStoreAt(t, filepath.Join(dir, "a.db"), nil)
	p, q := newPerson(t, s, "张三", 1), newPerson(t, s, "李四", 2)
	m := mustPut(t, s, KindMeasure, "", map[string]string{"person": q, "type": "rehab", "status": "active", "start_date": "2026-02-01"})
	other := newTestStoreAt(t, filepath.Join(dir, "b.db"), nil)
	if _, err := other.ApplyRemote(ctx, allChanges(t, s)); err != nil {
		t.Fatal(err)
	}
	pushed := maxSeq(t, s)
	mustPut(t, s, KindMeasure, m, map[string]string{"notes": "本机修改，尚未发送"})
	mustPut(t, other, KindMeasure, m, map[string]string{"person": p})
	if err := other.TransferPerson(ctx, p, otherTownship); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyRemote(ctx, allChanges(t, other)); err != nil {
		t.Fatal(err)
	}
	if n, err := s.PurgeTransferred(ctx, pushed); err != nil || n != 0 {
		t.Fatalf("purged %d files (%v) with the measure's edit still to push", n, err)
	}
	if n := rawCount(t, s, "SELECT count(*) FROM changes WHERE entity_id = ? AND local = 1", m); n != 2 {
		t.Fatalf("local changes of the measure left: %d, want 2", n)
	}
	if n, err := s.PurgeTransferred(ctx, maxSeq(t, s)); err != nil || n != 1 {
		t.Fatalf("purge once pushed: %d files, %v", n, err)
	}
}
