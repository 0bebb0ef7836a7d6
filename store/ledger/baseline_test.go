package ledger

import (
	"bytes"
	"context"
	"testing"

	"rehabdesk/internal/ledgertest"
	"rehabdesk/store"
	"rehabdesk/store/rules"
)

// Day one: a 300-person ledger on a new database. Once the baseline is set,
// what is due now (police, overdue, due soon) is a short list, and every
// item on it is real: the measure really ends within the week, or the
// township really has no staff.
func TestDayOneAfterBaselineDueNowIsShortAndReal(t *testing.T) {
	s, _, _, _ := dayOneStore(t)
	ctx := context.Background()
	var buf bytes.Buffer
	if err := ledgertest.Generate(&buf, 300, 15); err != nil {
		t.Fatal(err)
	}
	if rep := importBytes(t, s, buf.Bytes()); rep.New != 300 {
		t.Fatalf("imported %d of 300", rep.New)
	}
	today := rules.Today(s)
	before := dueNow(t, s, today)
	if err := rules.SetBaseline(ctx, s, today.String()); err != nil {
		t.Fatal(err)
	}
	after := dueNow(t, s, today)
	t.Logf("due now on day one: %d without the baseline, %d with it", len(before), len(after))
	if len(before) < 100 || len(after) > 99 {
		t.Fatalf("due now: %d without the baseline, %d with it; want hundreds, then tens at most", len(before), len(after))
	}
	d, _, err := rules.Load(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*rules.Person{}
	for _, p := range d.Persons {
		byID[p.ID] = p
	}
	for _, a := range after {
		switch a.Rule {
		case rules.MeasureEnding.ID:
			m := byID[a.PersonID].CurrentMeasure()
			if left := int(m.PlannedEnd - today); left < 0 || left > 7 || m.Status != "active" {
				t.Errorf("measure ending: %d days left, status %s", left, m.Status)
			}
		case rules.StaffingShortfall.ID: // one 专干 for 300 persons
		default:
			t.Errorf("not a real duty on day one: %s %s", a.Rule, a.Key)
		}
	}
}

func dueNow(t *testing.T, s *store.Store, today rules.Day) []rules.Alert {
	t.Helper()
	d, th, err := rules.Load(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	var out []rules.Alert
	for _, a := range rules.Evaluate(d, today, th) {
		if a.Severity != rules.Info {
			out = append(out, a)
		}
	}
	return out
}
