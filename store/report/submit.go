package report

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"rehabdesk/store"
	"rehabdesk/store/rules"
)

// SubmissionPrefix keys the setting record that carries a submitted
// report: "report.2026-10". A submission is an ordinary record, so it
// reaches the county through the sync channel like every other change;
// resubmitting a month updates the same record, and the change log keeps
// every earlier version.
const SubmissionPrefix = "report."

// SubmissionKey is the setting key of a month's submission.
func SubmissionKey(month string) string { return SubmissionPrefix + month }

// submission is the compact form of a township's totals: counts in Metrics
// order, so that it fits a setting value (1,000 characters).
type submission struct {
	Version   int       `json:"v"`
	Township  string    `json:"t"`
	Month     string    `json:"m"`
	AsOf      time.Time `json:"a"`
	Submitted time.Time `json:"s"`
	Counts    []int     `json:"c"`
	Staffing  [6]int    `json:"st"` // staff, users, under care, by users, by under care, required
	Ratios    [2]int    `json:"r"`  // users per staff, persons under measures per staff
	// Year carries the yearly-target figures (yearValues). It was added after
	// version 1 as an optional field rather than as counts: county servers
	// not yet updated ignore it, and a submission without it (a township not
	// yet updated) reads as "not known" rather than as zeros.
	Year []int `json:"y,omitempty"`
}

// submissionV1 is the order of the counts in a version 1 submission. It is
// frozen: the workbook's column order (Metrics) may change, but a new metric
// needs a new version, since townships update at different times.
var submissionV1 = []string{
	"persons", "detox_active", "detox_pending", "detox_suspended", "detox_completed", "detox_other",
	"rehab_active", "rehab_pending", "rehab_suspended", "rehab_completed", "rehab_other",
	"new_persons", "report_ins", "late_events", "tests", "tests_positive", "tests_refused",
	"visits_staff", "visits_volunteer", "leaves", "violations", "police_reports",
	"risk_high", "risk_medium", "risk_low", "risk_none", "methadone",
	"emp_central", "emp_dispersed", "emp_startup", "emp_self", "emp_public", "emp_unemployed",
	"emp_unable", "emp_unknown", "assistance",
}

// ErrBadSubmission means a submission record could not be read.
var ErrBadSubmission = errors.New("submitted report is unreadable")

// EncodeSubmission packs a report's totals for submission.
func EncodeSubmission(m *Monthly, submitted time.Time) (string, error) {
	s := submission{Version: 1, Township: m.Township, Month: m.Month, AsOf: m.AsOf.UTC(), Submitted: submitted.UTC(),
		Ratios: [2]int{m.UsersPerStaff, m.RehabPerStaff}, Year: yearValues(m.Total.Year)}
	for _, id := range submissionV1 {
		s.Counts = append(s.Counts, m.Total.Counts[id])
	}
	st := m.Staffing
	s.Staffing = [6]int{st.Staff, st.Users, st.UnderCare, st.ByUsers, st.ByUnderCare, st.Required}
	b, err := json.Marshal(s)
	if err != nil {
		return "", err
	}
	if len(b) > 1000 {
		return "", fmt.Errorf("submission of %d bytes does not fit a setting", len(b))
	}
	return string(b), nil
}

// Submitted is a township's report as the county receives it: totals only.
type Submitted struct {
	*Monthly
	Submitted time.Time
}

// DecodeSubmission unpacks a submission into a report with its totals.
func DecodeSubmission(value string) (*Submitted, error) {
	var s submission
	if err := json.Unmarshal([]byte(value), &s); err != nil || s.Version != 1 || len(s.Counts) != len(submissionV1) {
		return nil, fmt.Errorf("%w: %v", ErrBadSubmission, err)
	}
	m := &Monthly{Township: s.Township, Month: s.Month, AsOf: s.AsOf, UsersPerStaff: s.Ratios[0], RehabPerStaff: s.Ratios[1]}
	year, err := yearFromValues(s.Year)
	if err != nil {
		return nil, err
	}
	m.Total = Row{Code: s.Township, Counts: Counts{}, Year: year}
	for i, n := range s.Counts {
		m.Total.Counts[submissionV1[i]] = n
	}
	st := s.Staffing
	m.Staffing = rules.Staffing{Staff: st[0], Users: st[1], UnderCare: st[2], ByUsers: st[3], ByUnderCare: st[4], Required: st[5]}
	return &Submitted{Monthly: m, Submitted: s.Submitted}, nil
}

// Submit stores a month's report as its submission record (creating it or
// replacing the earlier submission); the next sync uploads it.
func Submit(ctx context.Context, s *store.Store, m *Monthly, now time.Time) error {
	value, err := EncodeSubmission(m, now)
	if err != nil {
		return err
	}
	settings, err := s.List(ctx, store.KindSetting, store.ListFilter{})
	if err != nil {
		return err
	}
	id := ""
	for _, r := range settings {
		if r.Get("key") == SubmissionKey(m.Month) {
			id = r.ID
		}
	}
	_, err = s.Put(ctx, store.KindSetting, id, map[string]string{"key": SubmissionKey(m.Month), "value": value})
	return err
}

// SubmissionMonth returns the month of a submission key, or "" for other keys.
func SubmissionMonth(key string) string {
	month, ok := strings.CutPrefix(key, SubmissionPrefix)
	if !ok {
		return ""
	}
	if _, err := ParseMonth(month); err != nil {
		return ""
	}
	return month
}
