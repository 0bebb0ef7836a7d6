package store

import (
	"context"
	"errors"
	"maps"
	"reflect"
	"slices"
	"testing"
	"testing/fstest"

	"rehabdesk/internal/sqlitedb"
	"rehabdesk/store/valid"
)

// stagePerson stages a person with a measure, then sets a field of the
// person again, as an import does when it sets a measure aside.
func stagePerson(t *testing.T, s *Store, name, idNumber string) *Staged {
	t.Helper()
	sg, err := s.Stage()
	if err != nil {
		t.Fatal(err)
	}
	p, err := sg.Put(KindPerson, "", map[string]string{"name": name, "id_number": idNumber, "risk": "高风险"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sg.Put(KindMeasure, "", map[string]string{"person": p, "type": "社区戒毒", "start_date": "2024-05-03"}); err != nil {
		t.Fatal(err)
	}
	if _, err := sg.Put(KindPerson, p, map[string]string{"notes": "补录"}); err != nil {
		t.Fatal(err)
	}
	return sg
}

func putStaged(t *testing.T, s *Store, sets ...*Staged) []bool {
	t.Helper()
	var clash []bool
	err := s.Update(context.Background(), func(tx *Tx) error {
		var err error
		if clash, err = tx.StagedClashes(sets, false); err != nil {
			return err
		}
		for i, sg := range sets {
			if !clash[i] {
				if err := tx.PutStaged(sg); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return clash
}

// A staged person is stored as Tx.Put stores one: the same fields (derived
// ones included), a field-change log entry per write with the clock and
// device, searchable at once and after the next sign-in.
func TestStagedWritesAreStoredAsPutStoresThem(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	id := idWithCheck("52010219900101123")
	before := len(allChanges(t, s))
	putStaged(t, s, stagePerson(t, s, "张三", id))

	other := idWithCheck("52010219900101131")
	viaPut := mustPut(t, s, KindPerson, "", map[string]string{"name": "张三", "id_number": other, "risk": "高风险"})
	mustPut(t, s, KindMeasure, "", map[string]string{"person": viaPut, "type": "社区戒毒", "start_date": "2024-05-03"})
	mustPut(t, s, KindPerson, viaPut, map[string]string{"notes": "补录"})

	res := s.Search(searchAll())
	if res.Total != 2 {
		t.Fatalf("search finds %d persons, want 2", res.Total)
	}
	persons, err := s.List(ctx, KindPerson, ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	staged, put := persons[0], persons[1]
	if staged.Fields["id_number"] != id {
		staged, put = put, staged
	}
	want := maps.Clone(put.Fields)
	want["id_number"], want["birth_date"] = id, staged.Fields["birth_date"]
	if !reflect.DeepEqual(staged.Fields, want) {
		t.Fatalf("staged person %v, via Put %v", staged.Fields, put.Fields)
	}
	ms, err := s.List(ctx, KindMeasure, ListFilter{PersonID: staged.ID})
	if err != nil {
		t.Fatal(err)
	}
	pm, err := s.List(ctx, KindMeasure, ListFilter{PersonID: put.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || len(pm) != 1 || !reflect.DeepEqual(ms[0].Fields["status"], pm[0].Fields["status"]) ||
		ms[0].Fields["planned_end"] != pm[0].Fields["planned_end"] {
		t.Fatalf("staged measure %v, via Put %v", ms, pm)
	}
	cs := allChanges(t, s)[before:]
	if len(cs) != 6 {
		t.Fatalf("%d changes logged, want 3 staged and 3 put", len(cs))
	}
	for _, c := range cs[:3] {
		if c.Device != s.Device() || c.HLC.IsZero() || c.User != "officer" {
			t.Fatalf("staged change %+v lacks clock, device or user", c)
		}
	}
	if cs[2].EntityID != staged.ID || cs[2].Bases["notes"] != nil || len(cs[2].Fields) != 1 {
		t.Fatalf("the second write of the staged person: %+v", cs[2])
	}
	// The creation logs the values of its own write only, not the later
	// write's (a staged record shares its values with its creation).
	if _, ok := cs[0].Fields["notes"]; ok || len(cs[0].Fields) != len(cs[3].Fields) {
		t.Fatalf("staged creation logged %v, via Put %v", cs[0].Fields, cs[3].Fields)
	}
	var paused int
	if err := s.db.QueryRow("SELECT count(*) FROM index_dirty_pause").Scan(&paused); err != nil {
		t.Fatal(err)
	}
	if paused != 0 || dirtyCount(s) == 0 {
		t.Fatalf("after the write: pause rows %d, dirty %d", paused, dirtyCount(s))
	}
	relock(t, s)
	if got, want := indexed(s), fullIndex(t, s); !reflect.DeepEqual(got, want) {
		t.Fatalf("index after sign-in %v, full rebuild %v", got, want)
	}
}

// A staged person whose ID number a live person already has is reported,
// and nothing of it is stored; an archived holder does not count.
func TestStagedClashesFindLivePersonsWithTheIDNumber(t *testing.T) {
	s := newTestStore(t)
	taken, archived, free := idWithCheck("52010219900101123"), idWithCheck("52010219900101131"), idWithCheck("52010219900101158")
	mustPut(t, s, KindPerson, "", map[string]string{"name": "李四", "id_number": taken})
	old := mustPut(t, s, KindPerson, "", map[string]string{"name": "王五", "id_number": archived})
	if err := s.Archive(context.Background(), old); err != nil {
		t.Fatal(err)
	}
	clash := putStaged(t, s, stagePerson(t, s, "张三", taken), stagePerson(t, s, "赵六", archived), stagePerson(t, s, "钱七", free))
	if !slices.Equal(clash, []bool{true, false, false}) {
		t.Fatalf("clashes %v", clash)
	}
	if n := s.Search(searchAll()).Total; n != 3 {
		t.Fatalf("%d live persons, want 李四 and the two staged ones", n)
	}
}

// A staged set decides nothing that needs the database, and applies the
// same rules and roles as Put.
func TestStagedRefusesWhatNeedsTheDatabase(t *testing.T) {
	s := newTestStore(t)
	stored := mustPut(t, s, KindPerson, "", map[string]string{"name": "李四", "id_number": idWithCheck("52010219900101123")})
	sg, err := s.Stage()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sg.Put(KindPerson, stored, map[string]string{"risk": "低风险"}); !errors.Is(err, ErrNeedsDatabase) {
		t.Errorf("update of a stored person: %v", err)
	}
	if _, err := sg.Put(KindMeasure, "", map[string]string{"person": stored, "type": "社区戒毒"}); !errors.Is(err, ErrNeedsDatabase) {
		t.Errorf("measure of a stored person: %v", err)
	}
	var ve *valid.Error
	if _, err := sg.Put(KindPerson, "", map[string]string{"name": "张三", "id_number": "520102199001011230"}); !errors.As(err, &ve) {
		t.Errorf("wrong check digit: %v", err)
	}
	if sg.Len() != 0 {
		t.Fatalf("%d records staged by refused writes", sg.Len())
	}
	w := newVolunteerWorld(t)
	vs, err := w.s.Stage()
	if err == nil {
		_, err = vs.Put(KindPerson, "", map[string]string{"name": "赵六", "id_number": idWithCheck("52010219700101777")})
	}
	if !errors.Is(err, ErrForbidden) {
		t.Fatalf("volunteer staging a person: %v", err)
	}
}

// Migration 0008 keeps the dirty marks of every ordinary write of a file
// made before it, and lets a bulk flush pause them.
func TestMigration0008KeepsDirtyMarksOfOrdinaryWrites(t *testing.T) {
	ctx := context.Background()
	before := fstest.MapFS{}
	all, err := sqlitedb.Load(migrationFS)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range all {
		if m.Version < 8 {
			before["migrations/"+m.Name] = &fstest.MapFile{Data: []byte(m.SQL)}
		}
	}
	db, err := openRaw(t.TempDir() + "/old.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := sqlitedb.Migrate(ctx, db, before); err != nil {
		t.Fatal(err)
	}
	insert := func(id string) {
		t.Helper()
		if _, err := db.Exec(`INSERT INTO records(kind, id, township, person_id, created_at, updated_at, data)
			VALUES('person', ?, ?, ?, 0, 0, x'00')`, id, testTownship, id); err != nil {
			t.Fatal(err)
		}
	}
	insert("p1")
	if err := sqlitedb.Migrate(ctx, db, migrationFS); err != nil {
		t.Fatal(err)
	}
	insert("p2")
	if _, err := db.Exec("UPDATE records SET archived = 1 WHERE id = 'p1'; DELETE FROM index_dirty WHERE person_id = 'p1'; UPDATE records SET archived = 0 WHERE id = 'p1'"); err != nil {
		t.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("INSERT INTO index_dirty_pause(id) VALUES(1)"); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`INSERT INTO records(kind, id, township, person_id, created_at, updated_at, data) VALUES('person', 'p3', ?, 'p3', 0, 0, x'00')`, testTownship); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("DELETE FROM index_dirty_pause"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var dirty []string
	rows, err := db.Query("SELECT person_id FROM index_dirty ORDER BY person_id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			t.Fatal(err)
		}
		dirty = append(dirty, p)
	}
	rows.Close()
	if !reflect.DeepEqual(dirty, []string{"p1", "p2"}) {
		t.Fatalf("dirty persons %v, want p1 and p2 (p3 was written paused)", dirty)
	}
}

// A change's payload is what marshalPayload writes, whether Seal encodes
// it or reuses the fields of a record written once.
func TestStagedPayloadsAreThoseOfMarshalPayload(t *testing.T) {
	s := newTestStore(t)
	once, err := s.Stage()
	if err != nil {
		t.Fatal(err)
	}
	p, err := once.Put(KindPerson, "", map[string]string{"name": "张三", "id_number": idWithCheck("52010219900101123"), "notes": "<a & b>\n"})
	if err != nil {
		t.Fatal(err)
	}
	once.Put(KindMeasure, "", map[string]string{"person": p, "type": "社区戒毒"})
	for _, sg := range []*Staged{once, stagePerson(t, s, "李四", idWithCheck("52010219900101131"))} {
		if err := sg.Seal(); err != nil {
			t.Fatal(err)
		}
		for i, ch := range sg.changes {
			plain, err := sg.seal.open(sg.rows.changes[i][5].([]byte), changeAD(ch.HLC, ch.Device))
			want, merr := marshalPayload(ch.Fields, ch.Bases)
			if merr != nil {
				t.Fatal(merr)
			}
			if err != nil || string(plain) != string(want) {
				t.Fatalf("change %d: payload %s (%v), want %s", i, plain, err, want)
			}
		}
	}
}
