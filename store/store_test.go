package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"rehabdesk/store/valid"
)

func TestCreateRefusesUnknownTownshipAndWeakPassword(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := Create(ctx, filepath.Join(dir, "a.db"), "520102999", "u", "secret-pass", Options{KDF: fastKDF}); !errors.Is(err, ErrUnknownTown) {
		t.Fatalf("unknown township: got %v", err)
	}
	if _, err := Create(ctx, filepath.Join(dir, "b.db"), testTownship, "u", "short", Options{KDF: fastKDF}); !errors.Is(err, ErrWeakPassword) {
		t.Fatalf("weak password: got %v", err)
	}
}

func TestCreateRefusesExistingDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	s := newTestStoreAt(t, path, nil)
	id := mustPut(t, s, KindStaff, "", map[string]string{"name": "王芳", "role": "officer"})
	s.Close()
	if _, err := Create(context.Background(), path, testTownship, "x", "secret-pass", Options{KDF: fastKDF}); !errors.Is(err, ErrExists) {
		t.Fatalf("second create: got %v", err)
	}
	s2, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if err := s2.Unlock(context.Background(), "officer", "secret-pass"); err != nil {
		t.Fatal(err)
	}
	if r, err := s2.Get(context.Background(), id); err != nil || r.Fields["name"] != "王芳" {
		t.Fatalf("record lost after refused create: %v %v", r, err)
	}
}

func TestUnlockWrongPasswordAndLockout(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	newTestStoreAt(t, path, nil).Close()
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Get(ctx, "x"); !errors.Is(err, ErrLocked) {
		t.Fatalf("read before unlock: got %v", err)
	}
	if err := s.Unlock(ctx, "nobody", "secret-pass"); !errors.Is(err, ErrBadPassword) {
		t.Fatalf("unknown user: got %v", err)
	}
	for i := 1; i <= freeFailures+1; i++ {
		if err := s.Unlock(ctx, "officer", "wrong-pass"); !errors.Is(err, ErrBadPassword) {
			t.Fatalf("attempt %d: got %v", i, err)
		}
	}
	if err := s.Unlock(ctx, "officer", "secret-pass"); !errors.Is(err, ErrLockedOut) {
		t.Fatalf("right password before the wait is over: got %v", err)
	}
}

func TestPersonDerivesSexAndBirthFromID(t *testing.T) {
	s := newTestStore(t)
	num := idWithCheck("52010219900101123")
	id := mustPut(t, s, KindPerson, "", map[string]string{"name": " 张三 ", "id_number": num})
	r, err := s.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if r.Fields["name"] != "张三" || r.Fields["birth_date"] != "1990-01-01" || r.Fields["sex"] != "male" {
		t.Fatalf("derived fields wrong: %v", r.Fields)
	}
}

func TestPutRejectsInvalidValuesWithTypedErrors(t *testing.T) {
	s := newTestStore(t)
	good := idWithCheck("52010219900101123")
	bad := good[:17] + string("0123456789X"[(int(good[17]-'0')+1)%10])
	cases := []struct {
		name   string
		fields map[string]string
		field  string
		code   string
	}{
		{"check digit", map[string]string{"name": "张三", "id_number": bad}, "id_number", valid.CodeIDChecksum},
		{"missing name", map[string]string{"id_number": good}, "name", valid.CodeRequired},
		{"phone", map[string]string{"name": "张三", "id_number": good, "phone": "12345"}, "phone", valid.CodePhone},
		{"risk enum", map[string]string{"name": "张三", "id_number": good, "risk": "极高"}, "risk", valid.CodeEnum},
		{"date", map[string]string{"name": "张三", "id_number": good, "first_found": "2023-02-29"}, "first_found", valid.CodeDate},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.Put(context.Background(), KindPerson, "", c.fields)
			var ve *valid.Error
			if !errors.As(err, &ve) || ve.Field != c.field || ve.Code != c.code {
				t.Fatalf("got %v, want %s on %s", err, c.code, c.field)
			}
		})
	}
	if res := s.Search(searchAll()); res.Total != 0 {
		t.Fatalf("rejected writes left %d persons", res.Total)
	}
}

func TestSameIDNumberCannotBeTwoLivePersons(t *testing.T) {
	s := newTestStore(t)
	num := idWithCheck("52010219900101123")
	first := mustPut(t, s, KindPerson, "", map[string]string{"name": "张三", "id_number": num})
	_, err := s.Put(context.Background(), KindPerson, "", map[string]string{"name": "张叁", "id_number": num})
	var dup *DuplicateError
	if !errors.As(err, &dup) || dup.ExistingID != first {
		t.Fatalf("duplicate: got %v", err)
	}
	if err := s.Archive(context.Background(), first); err != nil {
		t.Fatal(err)
	}
	second := mustPut(t, s, KindPerson, "", map[string]string{"name": "张叁", "id_number": num})
	err = s.Update(context.Background(), func(tx *Tx) error { return tx.SetArchived(first, false) })
	if !errors.As(err, &dup) || dup.ExistingID != second {
		t.Fatalf("restoring archived duplicate: got %v", err)
	}
}

func TestMeasureRules(t *testing.T) {
	s := newTestStore(t)
	p := mustPut(t, s, KindPerson, "", map[string]string{"name": "李四", "id_number": idWithCheck("52010219850315457")})
	id := mustPut(t, s, KindMeasure, "", map[string]string{"person": p, "type": "社区戒毒",
		"decision_date": "2025-03-01", "received_date": "2025-03-03", "report_in_date": "2025-03-10"})
	r, err := s.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"type": "detox", "report_due": "2025-03-18", "start_date": "2025-03-10",
		"planned_end": "2028-03-10", "status": "active"}
	for k, v := range want {
		if r.Fields[k] != v {
			t.Errorf("%s = %q, want %q", k, r.Fields[k], v)
		}
	}
	bad := []map[string]string{
		{"person": p, "type": "detox", "decision_date": "2025-03-05", "report_in_date": "2025-03-01"},
		{"person": p, "type": "rehab", "start_date": "2025-01-01", "planned_end": "2028-01-02"},
		{"person": p, "type": "rehab", "start_date": "2025-01-01", "planned_end": "2024-12-31"},
	}
	for i, f := range bad {
		if _, err := s.Put(context.Background(), KindMeasure, "", f); err == nil {
			t.Errorf("bad measure %d accepted", i)
		}
	}
	if _, err := s.Put(context.Background(), KindMeasure, "", map[string]string{"person": p, "type": "rehab",
		"start_date": "2025-01-01", "planned_end": "2028-01-01"}); err != nil {
		t.Errorf("36-month rehab refused: %v", err)
	}
}

func TestDatabaseFileHoldsNoPlainPersonalData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	s := newTestStoreAt(t, path, nil)
	num := idWithCheck("52262719800202001")
	mustPut(t, s, KindPerson, "", map[string]string{"name": "阿依古丽·买买提", "id_number": num,
		"phone": "13912345678", "current_address": "贵州省黎平县德凤街道"})
	s.Close()
	for _, f := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, secret := range []string{"阿依古丽", num, "13912345678", "德凤街道"} {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s contains %q in clear", filepath.Base(f), secret)
			}
		}
	}
}

func TestTamperedRecordIsRefused(t *testing.T) {
	s := newTestStore(t)
	id := mustPut(t, s, KindStaff, "", map[string]string{"name": "王芳", "role": "officer"})
	// All zero bytes: unlike changing one byte, this can never leave the value as it was.
	if _, err := s.db.Exec("UPDATE records SET data = zeroblob(length(data)) WHERE id = ?", id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(context.Background(), id); !errors.Is(err, ErrTampered) {
		t.Fatalf("tampered record: got %v", err)
	}
}
