package rules

import (
	"testing"

	"rehabdesk/store"
)

// transferredIn is a person as store.StartTransfer leaves the file on the
// receiving township's devices: the measure of the old township ended as
// transferred on 2026-03-01, and its continuation pending from that day.
func transferredIn(reportIn string) *Person {
	rec := func(id string, f map[string]string) *store.Record {
		return &store.Record{Kind: store.KindMeasure, ID: id, PersonID: "p1", Fields: f}
	}
	recs := map[store.Kind][]*store.Record{
		store.KindPerson: {{Kind: store.KindPerson, ID: "p1", Fields: map[string]string{"name": "张三"}}},
		store.KindMeasure: {
			rec("m1", map[string]string{"type": "detox", "status": "transferred", "received_date": "2025-01-02", "report_in_date": "2025-01-10",
				"start_date": "2025-01-10", "planned_end": "2028-01-09", "end_date": "2026-03-01"}),
			rec("m2", map[string]string{"type": "detox", "status": "pending", "received_date": "2026-03-01", "planned_end": "2028-01-09"}),
		},
		store.KindAgreement: {{Kind: store.KindAgreement, ID: "a1", PersonID: "p1", Fields: map[string]string{"signed_date": "2025-01-12"}}},
	}
	p := Build("t", recs).Persons[0]
	if reportIn != "" {
		m := p.CurrentMeasure()
		m.Status, m.ReportIn = "active", d(reportIn)
	}
	return p
}

// 戒毒条例第二十二条: the person reports to the new township within 15 days
// of the change; the 15th day is still in time, the 16th is a refusal.
func TestTransferredInPersonReportsInWithin15Days(t *testing.T) {
	for _, tc := range []struct {
		today, rule string
		sev         Severity
	}{
		{"2026-03-15", "report_in_due", DueSoon},
		{"2026-03-16", "report_in_due", DueSoon},
		{"2026-03-17", "report_in_overdue", Police},
	} {
		t.Run(tc.today, func(t *testing.T) {
			p := transferredIn("")
			if m := p.CurrentMeasure(); m == nil || m.Status != "pending" {
				t.Fatalf("measure in force %+v", m)
			}
			as := only(ForPerson(p, d(tc.today), defaults()), tc.rule)
			if len(as) != 1 || as[0].Severity != tc.sev || as[0].Due != d("2026-03-16") {
				t.Fatalf("got %+v", ForPerson(p, d(tc.today), defaults()))
			}
		})
	}
}

// Once reported in at the new township, the agreement signed with the old
// one does not count: the new township signs its own (art. 16), within the
// agreement days of the new report-in.
func TestTransferredInPersonSignsANewAgreement(t *testing.T) {
	for day, sev := range map[string]Severity{"2026-03-16": DueSoon, "2026-03-17": DueSoon, "2026-03-18": Overdue} {
		as := only(ForPerson(transferredIn("2026-03-10"), d(day), defaults()), "agreement_missing")
		if len(as) != 1 || as[0].Severity != sev || as[0].Due != d("2026-03-17") {
			t.Errorf("%s: %+v", day, as)
		}
	}
}
