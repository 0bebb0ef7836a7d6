package store

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"rehabdesk/store/valid"
)

// dutyPerson is a person under an active 社区戒毒 measure.
func dutyPerson(t *testing.T, s *Store) (person, measure string) {
	t.Helper()
	person = mustPut(t, s, KindPerson, "", map[string]string{"name": "张三", "id_number": idWithCheck("52010219900101123")})
	measure = mustPut(t, s, KindMeasure, "", map[string]string{"person": person, "type": "detox", "status": "active",
		"decision_no": "南公(禁)决字〔2025〕12号", "received_date": "2025-01-02", "report_in_date": "2025-01-10",
		"start_date": "2025-01-10", "planned_end": "2028-01-09"})
	return person, measure
}

// audited reports whether the audit log notes the duty on the record.
func audited(t *testing.T, s *Store, record, duty string) bool {
	t.Helper()
	es, err := s.AuditLog(context.Background(), AuditFilter{Action: ActionRecord})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if e.RecordID == record && e.Detail == AuditDetail(AuditDuty, duty) {
			return true
		}
	}
	return false
}

func TestSignAgreementLinksTheMeasureInForceAndIsAudited(t *testing.T) {
	s := newTestStore(t)
	p, m := dutyPerson(t, s)
	id, err := s.SignAgreement(context.Background(), p, map[string]string{"signed_date": "2025-01-12", "staff_member": "李专干"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.Get(context.Background(), id)
	if err != nil || a.Get("measure") != m || a.Get("signed_date") != "2025-01-12" || a.PersonID != p {
		t.Fatalf("agreement %v (%v), want linked to measure %s", a, err, m)
	}
	if !audited(t, s, id, DutyAgreement) {
		t.Error("signing the agreement is not in the audit log")
	}
	if _, err := s.SignAgreement(context.Background(), p, map[string]string{}); !errors.Is(err, &valid.Error{Code: valid.CodeRequired}) {
		t.Errorf("agreement without a date: %v", err)
	}
}

func TestLeaveNeedsItsReturnDateInOrderAndRecordsTheReturnOnce(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	p, _ := dutyPerson(t, s)
	if _, err := s.RecordLeave(ctx, p, map[string]string{"depart_date": "2025-03-01"}); !errors.Is(err, &valid.Error{Code: valid.CodeRequired, Field: "expected_return"}) {
		t.Fatalf("leave without a return date: %v", err)
	}
	if _, err := s.RecordLeave(ctx, p, map[string]string{"depart_date": "2025-03-01", "expected_return": "2025.2.27"}); !errors.Is(err, &valid.Error{Code: valid.CodeDateOrder}) {
		t.Fatalf("return before departure: %v", err)
	}
	if ls, err := s.List(ctx, KindLeave, ListFilter{PersonID: p}); err != nil || len(ls) != 0 {
		t.Fatalf("a refused leave left %d records", len(ls))
	}
	id, err := s.RecordLeave(ctx, p, map[string]string{"depart_date": "2025-03-01", "expected_return": "2025-03-05", "destination": "遵义"})
	if err != nil || !audited(t, s, id, DutyLeave) {
		t.Fatalf("leave: %v, audited %v", err, audited(t, s, id, DutyLeave))
	}
	if err := s.RecordReturn(ctx, id, "2025-02-28"); !errors.Is(err, &valid.Error{Code: valid.CodeDateOrder}) {
		t.Fatalf("back before leaving: %v", err)
	}
	if err := s.RecordReturn(ctx, id, "2025-03-07"); err != nil {
		t.Fatal(err)
	}
	if l := mustGet(t, s, id); l.Get("actual_return") != "2025-03-07" || !audited(t, s, id, DutyReturn) {
		t.Fatalf("return recorded as %q", l.Get("actual_return"))
	}
	if err := s.RecordReturn(ctx, id, "2025-03-08"); !errors.Is(err, ErrAlreadyBack) {
		t.Fatalf("second return: %v", err)
	}
}

func TestLostContactIsMarkedAndClearedAndTheLogKeepsTheDay(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	p, _ := dutyPerson(t, s)
	if err := s.MarkFound(ctx, p, "2025-04-05"); !errors.Is(err, ErrNotLost) {
		t.Fatalf("found before lost: %v", err)
	}
	if err := s.MarkLostContact(ctx, p, "2025-04-02"); err != nil {
		t.Fatal(err)
	}
	if r := mustGet(t, s, p); r.Get("lost_contact") != "2025-04-02" || !audited(t, s, p, DutyLost) {
		t.Fatalf("lost_contact = %q", r.Get("lost_contact"))
	}
	if err := s.MarkLostContact(ctx, p, "2025-04-03"); !errors.Is(err, ErrAlreadyLost) {
		t.Fatalf("lost twice: %v", err)
	}
	if err := s.MarkFound(ctx, p, "2025-04-05"); err != nil {
		t.Fatal(err)
	}
	if r := mustGet(t, s, p); r.Get("lost_contact") != "" || !audited(t, s, p, DutyFound) {
		t.Fatalf("after found: lost_contact = %q", r.Get("lost_contact"))
	}
	h, err := s.History(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	kept := false
	for _, c := range h {
		kept = kept || c.Fields["lost_contact"] == "2025-04-02"
	}
	if !kept {
		t.Error("the history lost the day contact was lost")
	}
}

func TestMeasureOutcomesFollowTheStatus(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	_, m := dutyPerson(t, s)
	steps := []struct {
		outcome, day string
		want         error
		status, f, v string
	}{
		{DutyResumed, "2025-05-01", ErrMeasureEnded, "active", "", ""},
		{DutySuspended, "2025-05-01", nil, "suspended", "suspended_date", "2025-05-01"},
		{DutySuspended, "2025-05-02", ErrMeasureEnded, "suspended", "suspended_date", "2025-05-01"},
		{DutyResumed, "2025-06-01", nil, "active", "suspended_date", "2025-05-01"},
		{DutyCompleted, "2028-01-09", nil, "completed", "end_date", "2028-01-09"},
		{DutyTerminated, "2028-01-10", ErrMeasureEnded, "completed", "end_date", "2028-01-09"},
		{"pardoned", "2028-01-10", ErrBadDutyOutcome, "completed", "end_date", "2028-01-09"},
	}
	for _, st := range steps {
		err := s.SetMeasureOutcome(ctx, m, st.outcome, st.day)
		if !errors.Is(err, st.want) {
			t.Fatalf("%s on %s: %v, want %v", st.outcome, st.day, err, st.want)
		}
		r := mustGet(t, s, m)
		if r.Get("status") != st.status || (st.f != "" && r.Get(st.f) != st.v) {
			t.Fatalf("after %s: status %q %s=%q", st.outcome, r.Get("status"), st.f, r.Get(st.f))
		}
		if st.want == nil && !audited(t, s, m, st.outcome) {
			t.Errorf("%s is not in the audit log", st.outcome)
		}
	}
	p2 := mustPut(t, s, KindPerson, "", map[string]string{"name": "李四", "id_number": idWithCheck("52010219850101123")})
	pending := mustPut(t, s, KindMeasure, "", map[string]string{"person": p2, "type": "rehab", "status": "pending", "received_date": "2025-01-02"})
	if err := s.SetMeasureOutcome(ctx, pending, DutyCompleted, "2025-02-01"); !errors.Is(err, ErrMeasureEnded) {
		t.Errorf("completing a measure never reported to: %v", err)
	}
	if err := s.SetMeasureOutcome(ctx, pending, DutyTerminated, "2025-02-01"); err != nil {
		t.Errorf("terminating a pending measure: %v", err)
	}
	p3 := mustPut(t, s, KindPerson, "", map[string]string{"name": "王五", "id_number": idWithCheck("52010219800101123")})
	fresh := mustPut(t, s, KindMeasure, "", map[string]string{"person": p3, "type": "detox", "status": "pending", "received_date": "2025-01-02"})
	if err := s.SetMeasureOutcome(ctx, fresh, DutyReportedIn, "2025.1.9"); err != nil {
		t.Fatal(err)
	}
	if r := mustGet(t, s, fresh); r.Get("status") != "active" || r.Get("report_in_date") != "2025-01-09" || r.Get("start_date") != "2025-01-09" {
		t.Errorf("after report-in: %v", r.Fields)
	}
	if err := s.SetMeasureOutcome(ctx, fresh, DutyReportedIn, "2025-01-10"); !errors.Is(err, ErrMeasureEnded) {
		t.Errorf("reporting in twice: %v", err)
	}
}

// changesOf returns the fields written to a record, merged in order, from
// the raw change log (a transferred file is hidden from every other read).
func changesOf(t *testing.T, s *Store) map[string]map[string]string {
	t.Helper()
	cs := allChanges(t, s)
	out := map[string]map[string]string{}
	for _, c := range cs {
		if out[c.EntityID] == nil {
			out[c.EntityID] = map[string]string{"kind": string(c.Kind)}
		}
		for f, v := range c.Fields {
			out[c.EntityID][f] = v
		}
	}
	return out
}

func TestStartTransferHandsTheMeasureOverWithANewReportInDeadline(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	p, m := dutyPerson(t, s)
	if err := s.StartTransfer(ctx, p, testTownship, "2026-03-01"); !errors.Is(err, ErrSameTownship) {
		t.Fatalf("transfer to its own township: %v", err)
	}
	if err := s.StartTransfer(ctx, p, "999999999", "2026-03-01"); !errors.Is(err, ErrUnknownTown) {
		t.Fatalf("transfer to no township: %v", err)
	}
	if r := mustGet(t, s, m); r.Get("status") != "active" {
		t.Fatalf("a refused transfer changed the measure to %q", r.Get("status"))
	}
	if err := s.StartTransfer(ctx, p, "520102017", "2026-03-01"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, p); !errors.Is(err, ErrTransferred) {
		t.Fatalf("person after the transfer: %v", err)
	}
	all := changesOf(t, s)
	if old := all[m]; old["status"] != "transferred" || old["end_date"] != "2026-03-01" || old[FieldTownship] != "520102017" {
		t.Fatalf("old measure: %v", old)
	}
	var next map[string]string
	for id, f := range all {
		if f["kind"] == string(KindMeasure) && id != m {
			next = f
		}
	}
	want := map[string]string{"status": "pending", "received_date": "2026-03-01", "report_due": "2026-03-16", "type": "detox",
		"planned_end": "2028-01-09", "decision_no": "南公(禁)决字〔2025〕12号", FieldTownship: "520102017", "report_in_date": ""}
	for f, v := range want {
		if next[f] != v {
			t.Errorf("new measure %s = %q, want %q (%v)", f, next[f], v, next)
		}
	}
	if !audited(t, s, p, DutyTransfer) {
		t.Error("the transfer is not in the audit log")
	}
}

func TestAttachmentIsCheckedSealedAndAudited(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	p, m := dutyPerson(t, s)
	other := mustPut(t, s, KindPerson, "", map[string]string{"name": "李四", "id_number": idWithCheck("52010219850101123")})
	f := map[string]string{"kind": "decision", "filename": "决定书.pdf"}
	pdf := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("SECRET-DECISION "), 100)...)
	big := append([]byte("%PDF-1.4\n"), make([]byte, MaxAttachment)...)
	var tooBig *TooLargeError
	if _, err := s.AddAttachment(ctx, p, m, f, big); !errors.As(err, &tooBig) {
		t.Fatalf("a file over the limit: %v", err)
	} else if key, args := tooBig.MessageKey(); key != "duty.error.too_large" || args[1] != "20.0" {
		t.Fatalf("limit message %s %v", key, args)
	}
	if _, err := s.AddAttachment(ctx, p, m, f, []byte("PK\x03\x04 a docx")); !errors.Is(err, ErrAttachmentType) {
		t.Fatalf("a docx: %v", err)
	}
	if _, err := s.AddAttachment(ctx, other, m, f, pdf); !errors.Is(err, ErrNotFound) {
		t.Fatalf("attached to another person's event: %v", err)
	}
	if as, err := s.Attachments(ctx, p); err != nil || len(as) != 0 {
		t.Fatalf("refused attachments left %d records", len(as))
	}
	at := append(pdf[:len(pdf):len(pdf)], make([]byte, MaxAttachment-len(pdf))...) // exactly at the limit
	id, err := s.AddAttachment(ctx, p, m, f, at)
	if err != nil {
		t.Fatalf("a file at the limit: %v", err)
	}
	r, data, err := s.OpenAttachment(ctx, id)
	if err != nil || !bytes.Equal(data, at) || r.Get("mime") != "application/pdf" || r.Get("event") != m || r.Get("size") != "20971520" {
		t.Fatalf("opened %d bytes, %v (%v)", len(data), r, err)
	}
	if !audited(t, s, id, DutyAttach) || !audited(t, s, id, DutyOpenAttachment) {
		t.Error("attaching or opening is not in the audit log")
	}
	var n int
	if err := s.db.QueryRow("SELECT count(*) FROM blob_data WHERE instr(data, ?) > 0", []byte("SECRET-DECISION")).Scan(&n); err != nil || n != 0 {
		t.Fatalf("attachment content in clear in the database: %d rows (%v)", n, err)
	}
}

// The day a person is found again, or a suspension lifted, is the one the
// officer gives: not after today, not before the 失联 or 中止 began, a
// date; a refused day changes nothing, an accepted one is kept
// (found_date, resumed_date) for the monthly report.
func TestFoundAndResumedTakeTheirOwnDay(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)
	s := newTestStoreAt(t, filepath.Join(t.TempDir(), "t.db"), func() time.Time { return now })
	p, m := dutyPerson(t, s)
	if err := s.MarkLostContact(ctx, p, "2026-09-20"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetMeasureOutcome(ctx, m, DutySuspended, "2026-09-08"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		day  string
		code string
	}{
		{"2026-11-04", valid.CodeDateFuture},
		{"2026-09-01", valid.CodeDateOrder},
		{"2026-13-01", valid.CodeDate},
		{"", valid.CodeRequired},
	} {
		if err := s.MarkFound(ctx, p, c.day); !errors.Is(err, &valid.Error{Code: c.code, Field: "found_date"}) {
			t.Errorf("found on %q: %v, want %s", c.day, err, c.code)
		}
		if err := s.SetMeasureOutcome(ctx, m, DutyResumed, c.day); !errors.Is(err, &valid.Error{Code: c.code, Field: "resumed_date"}) {
			t.Errorf("resumed on %q: %v, want %s", c.day, err, c.code)
		}
	}
	if r := mustGet(t, s, p); r.Get("lost_contact") != "2026-09-20" || r.Get("found_date") != "" {
		t.Fatalf("a refused day changed the person: %v", r.Fields)
	}
	if r := mustGet(t, s, m); r.Get("status") != "suspended" {
		t.Fatalf("a refused day changed the measure: %v", r.Fields)
	}
	if err := s.MarkFound(ctx, p, "2026.10.28"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetMeasureOutcome(ctx, m, DutyResumed, "2026-11-03"); err != nil {
		t.Fatal(err)
	}
	if r := mustGet(t, s, p); r.Get("lost_contact") != "" || r.Get("found_date") != "2026-10-28" {
		t.Errorf("found: %v", r.Fields)
	}
	if r := mustGet(t, s, m); r.Get("status") != "active" || r.Get("resumed_date") != "2026-11-03" {
		t.Errorf("resumed: %v", r.Fields)
	}
}
