package rules

import (
	"strings"
	"testing"
)

// 戒毒条例第十六条: "应当在社区戒毒人员报到后及时与其签订社区戒毒协议" — with the
// default of 7 days, the 7th day after report-in is still in time.
func TestAgreementMissingFromDayAfterDeadline(t *testing.T) {
	for _, tc := range []struct {
		today string
		sev   Severity
	}{
		{"2026-08-01", DueSoon},
		{"2026-08-07", DueSoon},
		{"2026-08-08", DueSoon},
		{"2026-08-09", Overdue},
		{"2027-01-01", Overdue},
	} {
		t.Run(tc.today, func(t *testing.T) {
			p := person("2026-08-01")
			p.Agreements = nil
			as := only(ForPerson(p, d(tc.today), defaults()), "agreement_missing")
			if len(as) != 1 || as[0].Severity != tc.sev || as[0].Due != d("2026-08-08") {
				t.Fatalf("got %+v", as)
			}
		})
	}
}

func TestAgreementDaysIsASetting(t *testing.T) {
	th := defaults()
	th.Set("agreement_days", 3)
	p := person("2026-08-01")
	p.Agreements = nil
	for day, sev := range map[string]Severity{"2026-08-04": DueSoon, "2026-08-05": Overdue} {
		want(t, ForPerson(p, d(day), th), "agreement_missing", sev, true)
	}
}

func TestAgreementSignedSilencesTheAlert(t *testing.T) {
	p := person("2026-08-01")
	p.Agreements = []Day{d("2026-08-09")} // signed late, but signed
	want(t, ForPerson(p, d("2026-09-01"), defaults()), "agreement_missing", 0, false)
	p.Agreements = []Day{d("2023-05-01")} // an earlier measure's agreement does not count
	want(t, ForPerson(p, d("2026-09-01"), defaults()), "agreement_missing", Overdue, true)
}

// A person who reported in before the township started with the app may
// well have a paper agreement: unknown, not missing.
func TestAgreementBeforeBaselineIsUnknown(t *testing.T) {
	th := defaults()
	th.Baseline = d("2026-08-02")
	p := person("2026-08-01")
	p.Agreements = nil
	want(t, ForPerson(p, d("2026-09-01"), th), "agreement_missing", 0, false)
	th.Baseline = d("2026-08-01")
	want(t, ForPerson(p, d("2026-09-01"), th), "agreement_missing", Overdue, true)
}

func TestAgreementMissingExplanation(t *testing.T) {
	p := person("2026-08-01")
	p.Agreements = nil
	a := only(ForPerson(p, d("2026-08-10"), defaults()), "agreement_missing")[0]
	if got, w := a.Explain("zh"), "2026年8月1日 已报到，应于 2026年8月8日 前签订社区戒毒（康复）协议，已逾期 2 天未签订"; got != w {
		t.Errorf("zh: %q, want %q", got, w)
	}
	if got := a.Explain("en"); !strings.Contains(got, "2 days overdue") {
		t.Errorf("en: %q", got)
	}
}

// A person marked 失联 must be searched for and reported from the day
// contact was lost until the mark is cleared.
func TestLostContactFromTheDayMarked(t *testing.T) {
	for _, tc := range []struct {
		today string
		fire  bool
	}{{"2026-09-09", false}, {"2026-09-10", true}, {"2026-09-11", true}} {
		t.Run(tc.today, func(t *testing.T) {
			p := person("2026-08-01")
			p.Report.LostContact = d("2026-09-10")
			want(t, ForPerson(p, d(tc.today), defaults()), "lost_contact", Police, tc.fire)
		})
	}
	p := person("2026-08-01")
	p.Report.LostContact = 0 // found again
	want(t, ForPerson(p, d("2026-09-11"), defaults()), "lost_contact", 0, false)
}

func TestLostContactExplanationAndNoMeasure(t *testing.T) {
	p := person("2026-08-01")
	p.Report.LostContact = d("2026-09-10")
	a := only(ForPerson(p, d("2026-09-13"), defaults()), "lost_contact")[0]
	if got, w := a.Explain("zh"), "自 2026年9月10日 起失联（已 3 天），须立即查找并报告公安机关"; got != w {
		t.Errorf("zh: %q, want %q", got, w)
	}
	p.Measures[0].Status = "completed" // no longer the township's to manage
	want(t, ForPerson(p, d("2026-09-13"), defaults()), "lost_contact", 0, false)
}
