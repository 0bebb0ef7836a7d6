package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// openHandle opens another handle of the database at path, signed in,
// whose clock reads now.
func openHandle(t *testing.T, path string, now func() time.Time) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, path, Options{KDF: fastKDF, Now: now})
	if err == nil {
		err = s.Unlock(ctx, "officer", "secret-pass")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// unlogged counts the records saved without a change of theirs in the log
// (an edit that would never sync), and the local changes in the log.
func unlogged(t *testing.T, s *Store) (missing, local int) {
	t.Helper()
	db := s.db
	if err := db.QueryRow(`SELECT count(*) FROM records r WHERE NOT EXISTS
		(SELECT 1 FROM changes c WHERE c.entity_id = r.id)`).Scan(&missing); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow("SELECT count(*) FROM changes WHERE local = 1").Scan(&local); err != nil {
		t.Fatal(err)
	}
	return missing, local
}

func personFields(i int) map[string]string {
	return map[string]string{"name": "张三", "id_number": idWithCheck(fmt.Sprintf("52010219800101%03d", i*2))}
}

// Two handles of one database (the GUI and an import, each with its own
// clock) whose clocks read the same time would issue the same readings
// under the same device id: the change log kept one of each pair and the
// other record was saved with no change to push.
func TestTwoHandlesNeverIssueTheSameReading(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { return at } // both clocks stand still: same readings unless shared
	path := filepath.Join(t.TempDir(), "t.db")
	newTestStoreAt(t, path, now).Close()
	a, b := openHandle(t, path, now), openHandle(t, path, now)

	// a stages persons before b writes: some staged readings are b's too
	// (b is one reading ahead, having signed in last).
	sg, err := a.Stage()
	if err != nil {
		t.Fatal(err)
	}
	for i := 20; i < 23; i++ {
		if _, err := sg.Put(KindPerson, "", personFields(i)); err != nil {
			t.Fatal(err)
		}
	}
	for i := 2; i < 6; i++ {
		mustPut(t, b, KindPerson, "", personFields(i))
	}
	if err := a.Update(ctx, func(tx *Tx) error {
		if _, err := tx.StagedClashes([]*Staged{sg}, false); err != nil {
			return err
		}
		return tx.PutStaged(sg)
	}); err != nil {
		t.Fatal(err)
	}
	for i := 6; i < 9; i++ {
		mustPut(t, a, KindPerson, "", personFields(i))
		mustPut(t, b, KindPerson, "", personFields(i+10))
	}
	missing, local := unlogged(t, a)
	if missing != 0 || local != 1+3+4+3+3 { // the account Create wrote, and 13 persons
		t.Fatalf("%d records without a change, %d local changes; want 0 and 14", missing, local)
	}
	got, err := a.Get(ctx, sg.order[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := ParseVersion(got.Versions["name"]); err != nil || v.HLC != sg.changes[0].HLC {
		t.Fatalf("staged person's version %s, its change %s (error %v)", got.Versions["name"], sg.changes[0].HLC, err)
	}
}

// A local change whose reading is already logged is an error, never a
// silent drop: the record would be saved with nothing to push.
func TestLocalChangeWithALoggedReadingFails(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	id := mustPut(t, s, KindPerson, "", personFields(1))
	chs, err := recordChanges(ctx, s, id)
	if err != nil || len(chs) != 1 {
		t.Fatalf("changes %v %v", chs, err)
	}
	again := *chs[0]
	err = s.Update(ctx, func(tx *Tx) error { return tx.AppendChange(&again, true) })
	if err == nil {
		t.Fatal("a local change with a logged reading was accepted")
	}
	err = s.Update(ctx, func(tx *Tx) error {
		ch := again
		ch.User = "someone"
		return tx.appendLocal(&ch) // through the batched insert too
	})
	if err == nil {
		t.Fatal("a batched local change with a logged reading was accepted")
	}
}

// A write that waited past the busy timeout for another writer (an
// import's batch) is named as such, for the "try again" message.
func TestWriteGivingUpOnABusyDatabaseIsBusy(t *testing.T) {
	defer func(old string) { busyTimeout = old }(busyTimeout)
	busyTimeout = "100"
	path := filepath.Join(t.TempDir(), "t.db")
	s := newTestStoreAt(t, path, nil)
	other := openHandle(t, path, nil)
	tx, err := other.db.Begin() // BEGIN IMMEDIATE: holds the write lock
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	_, err = s.Put(context.Background(), KindPerson, "", personFields(1))
	if !IsBusy(err) || IsDiskFull(err) {
		t.Fatalf("write against a held lock: %v", err)
	}
	if IsBusy(fmt.Errorf("wrapped: %w", ErrLocked)) {
		t.Fatal("a signed-out store is not busy")
	}
}

// A handle held open (the GUI) catches up with the persons another handle
// (a command-line import) wrote: its people list missed them until the
// next sign-in. Its own writes need no reload.
func TestCatchUpShowsWhatAnotherHandleWrote(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	newTestStoreAt(t, path, nil).Close()
	gui, cli := openHandle(t, path, nil), openHandle(t, path, nil)
	catchUp := func(want bool) {
		t.Helper()
		if got, err := gui.CatchUp(ctx); err != nil || got != want {
			t.Fatalf("CatchUp reloaded %v (%v), want %v", got, err, want)
		}
	}
	catchUp(true) // cli's sign-in came after gui opened
	catchUp(false)
	mustPut(t, gui, KindPerson, "", personFields(1))
	catchUp(false)
	for i := 2; i < 5; i++ {
		mustPut(t, cli, KindPerson, "", personFields(i))
	}
	mustPut(t, gui, KindPerson, "", personFields(5)) // its own write does not hide the others'
	if n := gui.Search(searchAll()).Total; n != 2 {
		t.Fatalf("before catching up the list shows %d persons, want the GUI's own 2", n)
	}
	catchUp(true)
	if n := gui.Search(searchAll()).Total; n != 5 {
		t.Fatalf("after catching up the list shows %d persons, want 5", n)
	}
	catchUp(false)
	mustPut(t, gui, KindPerson, "", personFields(6))
	catchUp(false)
}
