package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

func batchPersons(t *testing.T, s *Store, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = mustPut(t, s, KindPerson, "", map[string]string{"name": "人员" + string(rune(0x4e00+i)),
			"id_number": idWithCheck(fmt.Sprintf("52010219900101%03d", i))})
	}
	return ids
}

func testRows(persons []string, results ...string) []map[string]string {
	rows := make([]map[string]string, len(persons))
	for i, p := range persons {
		rows[i] = map[string]string{"person": p, "date": "2026-11-20", "sample": "urine", "result": results[i%len(results)]}
	}
	return rows
}

func TestAddEventsSavesEachRowAsItsOwnAuditedRecord(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	persons := batchPersons(t, s, 4)
	ids, err := s.AddEvents(ctx, KindDrugTest, testRows(persons, "negative", "absent"))
	if err != nil || len(ids) != 4 {
		t.Fatalf("AddEvents: %v %v", ids, err)
	}
	for i, id := range ids {
		r, err := s.Get(ctx, id)
		if err != nil || r.Get("person") != persons[i] || r.Get("result") != []string{"negative", "absent"}[i%2] {
			t.Fatalf("row %d: %+v %v", i, r, err)
		}
	}
	log, err := s.AuditLog(ctx, AuditFilter{Action: ActionRecord})
	if err != nil || len(log) != 4 {
		t.Fatalf("audit: %d entries, %v", len(log), err)
	}
	for _, e := range log {
		code, args, ok := ParseAuditDetail(e.Detail)
		if !ok || code != AuditRecordAdd || len(args) != 1 || args[0] != string(KindDrugTest) || e.PersonID == "" {
			t.Errorf("entry %+v: code %q args %q", e, code, args)
		}
	}
}

// TestAddEventsFailureMidBatchKeepsNone: the third row's person moved to
// another township; nothing of the batch is kept, and the error names the row.
func TestAddEventsFailureMidBatchKeepsNone(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	persons := batchPersons(t, s, 5)
	if err := s.TransferPerson(ctx, persons[2], "520102017"); err != nil {
		t.Fatal(err)
	}
	_, err := s.AddEvents(ctx, KindDrugTest, testRows(persons, "negative"))
	var re *RowError
	if !errors.As(err, &re) || re.Row != 2 || !errors.Is(err, ErrTransferred) {
		t.Fatalf("want a row 3 transfer error, got %v", err)
	}
	if tests, err := s.List(ctx, KindDrugTest, ListFilter{}); err != nil {
		t.Fatal(err)
	} else if len(tests) != 0 {
		t.Errorf("%d tests kept after a failed batch", len(tests))
	}
	if log, err := s.AuditLog(ctx, AuditFilter{Action: ActionRecord}); err != nil {
		t.Fatal(err)
	} else if len(log) != 0 {
		t.Errorf("%d audit entries kept after a failed batch", len(log))
	}
}

func TestAuditDetailRoundTripsAndLeavesOldTextAlone(t *testing.T) {
	d := AuditDetail(AuditLedgerImport, "xlsx", "2", "3", "1", "1", "0")
	if code, args, ok := ParseAuditDetail(d); !ok || code != AuditLedgerImport || len(args) != 6 || args[0] != "xlsx" {
		t.Fatalf("%q → %q %q %v", d, code, args, ok)
	}
	for _, old := range []string{"monthly 2026-11", "bad_password", "", "[", "[]", `[""]`} {
		if _, _, ok := ParseAuditDetail(old); ok {
			t.Errorf("%q read as a code", old)
		}
	}
}
