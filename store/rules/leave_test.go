package rules

import (
	"testing"

	"rehabdesk/store"
)

// onLeave is person() with a leave reported from 2026-08-01 to return on
// 2026-08-10, not back yet.
func onLeave() *Person {
	p := person("2026-07-01")
	p.Leaves = []Leave{{Depart: d("2026-08-01"), Expected: d("2026-08-10")}}
	return p
}

// The reported return day is still in time; from the next day the return
// is overdue, until it is recorded.
func TestLeaveOverdueFromDayAfterReturnDate(t *testing.T) {
	for day, fire := range map[string]bool{"2026-08-09": false, "2026-08-10": false, "2026-08-11": true, "2026-08-20": true} {
		t.Run(day, func(t *testing.T) {
			as := ForPerson(onLeave(), d(day), defaults())
			want(t, as, "leave_overdue", Overdue, fire)
			if fire && only(as, "leave_overdue")[0].Args[2] != int(d(day)-d("2026-08-10")) {
				t.Errorf("overdue days: %+v", only(as, "leave_overdue")[0].Args)
			}
		})
	}
	p := onLeave()
	p.Leaves[0].Returned = d("2026-08-15")
	want(t, ForPerson(p, d("2026-08-20"), defaults()), "leave_overdue", 0, false)
}

// 戒毒条例第二十条 "累计超过30日": the days past the reported return are away
// without a report. 30 overdue days only warn; the 31st makes a serious
// violation, dated from the first overdue day.
func TestOverdueLeaveCountsTowardAbsence(t *testing.T) {
	for _, tc := range []struct {
		today  string
		police bool
	}{{"2026-09-08", false}, {"2026-09-09", false}, {"2026-09-10", true}} {
		t.Run(tc.today, func(t *testing.T) {
			as := ForPerson(onLeave(), d(tc.today), defaults())
			want(t, as, "serious_violation", Police, tc.police)
			want(t, as, "violation_warning", DueSoon, !tc.police)
			if tc.police && only(as, "serious_violation")[0].Due != d("2026-08-11") {
				t.Errorf("due %s", only(as, "serious_violation")[0].Due)
			}
		})
	}
}

// Overdue days add to departures logged as violations; a late return that
// was recorded keeps counting only the days it was late.
func TestOverdueDaysAddToLoggedAbsence(t *testing.T) {
	for _, tc := range []struct {
		returned string
		police   bool
	}{{"2026-08-29", false}, {"2026-08-30", false}, {"2026-08-31", true}} {
		t.Run(tc.returned, func(t *testing.T) {
			p := onLeave()
			p.Leaves[0].Returned = d(tc.returned) // 19, 20, 21 days late
			p.Violations = []Violation{{Date: d("2026-07-10"), Kind: "departure", Days: 10}}
			as := ForPerson(p, d("2026-12-01"), defaults())
			want(t, as, "serious_violation", Police, tc.police)
			want(t, as, "leave_overdue", 0, false)
		})
	}
}

// An officer who logged the overdue stay as a departure has counted it:
// the leave adds nothing more, and an overdue leave is no departure of its
// own (the person left with a report).
func TestOverdueLeaveLoggedAsDepartureCountsOnce(t *testing.T) {
	p := onLeave()
	p.Violations = []Violation{{Date: d("2026-08-11"), Kind: "departure", Days: 25}}
	as := ForPerson(p, d("2026-09-20"), defaults()) // 41 days overdue, but 25 logged
	want(t, as, "serious_violation", Police, false)
	want(t, as, "violation_warning", DueSoon, true)
	p = person("2026-07-01")
	for _, dep := range []string{"2026-08-01", "2026-08-20", "2026-09-10"} {
		p.Leaves = append(p.Leaves, Leave{Depart: d(dep), Expected: d(dep).AddDays(3), Returned: d(dep).AddDays(4)})
	}
	want(t, ForPerson(p, d("2026-10-01"), defaults()), "serious_violation", Police, false)
}

// The engine reads the leave form's return dates from the store's records.
func TestBuildReadsLeaveReturnDates(t *testing.T) {
	recs := map[store.Kind][]*store.Record{
		store.KindPerson: {{Kind: store.KindPerson, ID: "p1", Fields: map[string]string{"name": "张三"}}},
		store.KindLeave: {{Kind: store.KindLeave, ID: "l1", PersonID: "p1", Fields: map[string]string{
			"depart_date": "2026-08-01", "expected_return": "2026-08-10", "actual_return": "2026-08-12"}}},
	}
	got := Build("t", recs).Persons[0].Leaves
	if len(got) != 1 || got[0].Expected != d("2026-08-10") || got[0].Returned != d("2026-08-12") {
		t.Fatalf("leaves %+v", got)
	}
}
