package report

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"rehabdesk/store"
	"rehabdesk/store/rules"
)

// SubmissionPrefix keys the setting records that carry submitted reports:
// "report.2026-10" is a month's first revision, "report.2026-10.r2" its
// second (a correction, 更正), and so on. A submission is an ordinary
// record, so it reaches the county through the sync channel like every
// other change, and each revision is a record of its own: the county keeps
// every one.
const SubmissionPrefix = "report."

// SubmissionKey is the setting key of a month's revision (1, 2, ...).
func SubmissionKey(month string, rev int) string {
	if rev <= 1 {
		return SubmissionPrefix + month
	}
	return SubmissionPrefix + month + ".r" + strconv.Itoa(rev)
}

// SubmissionMonth returns the month and revision of a submission key, or
// "" for other keys.
func SubmissionMonth(key string) (month string, rev int) {
	rest, ok := strings.CutPrefix(key, SubmissionPrefix)
	if !ok {
		return "", 0
	}
	month, revText, hasRev := strings.Cut(rest, ".r")
	rev = 1
	if hasRev {
		n, err := strconv.Atoi(revText)
		if err != nil || n < 2 {
			return "", 0
		}
		rev = n
	}
	if _, err := ParseMonth(month); err != nil {
		return "", 0
	}
	return month, rev
}

// submission is the compact form of a township's totals: counts in a
// frozen order, so that it fits a setting value (1,000 characters).
type submission struct {
	Version   int       `json:"v"`
	Township  string    `json:"t"`
	Month     string    `json:"m"`
	Revision  int       `json:"n,omitempty"` // version 2 on: 1, 2, ...
	AsOf      time.Time `json:"a"`
	Submitted time.Time `json:"s"`
	Counts    []int     `json:"c"`
	Staffing  [6]int    `json:"st"` // staff, users, under care, by users, by under care, required
	Ratios    [2]int    `json:"r"`  // users per staff, persons under measures per staff
	// Year (version 1 only) carried stand-in yearly figures counted from
	// the files; they are no longer made, and read as absent.
	Year []int `json:"y,omitempty"`
	// FlagsAt (Unix ms) is when the persons' flags were taken
	// (Monthly.FlagsAt); absent in a submission made before they were
	// dated. Not a count: the order of Counts stays the version's, and a
	// reader that does not know it ignores it.
	FlagsAt int64 `json:"f,omitempty"`
}

// submissionV1 is the order of the counts of a version 1 submission
// (before rows were counted by event dates); still read, never written.
var submissionV1 = []string{
	"persons", "detox_active", "detox_pending", "detox_suspended", "v1_detox_completed", "v1_detox_other",
	"rehab_active", "rehab_pending", "rehab_suspended", "v1_rehab_completed", "v1_rehab_other",
	"v1_new_persons", "report_ins", "v1_late_events", "tests", "tests_positive", "tests_refused",
	"visits_staff", "visits_volunteer", "leaves", "violations", "police_reports",
	"risk_high", "risk_medium", "risk_low", "risk_none", "methadone",
	"emp_central", "emp_dispersed", "emp_startup", "emp_self", "emp_public", "emp_unemployed",
	"emp_unable", "emp_unknown", "assistance",
}

// submissionV2 is the order of the counts of a version 2 submission: every
// row of Defs but the rates, which the county works out again. It is
// frozen: a new row needs a new version, since townships update at
// different times.
var submissionV2 = []string{
	"persons", "new_detox", "new_rehab", "report_due", "report_due_met", "report_ins", "agreements",
	"detox_active", "detox_suspended", "detox_pending", "rehab_active", "rehab_suspended", "rehab_pending", "in_measure",
	"completed", "terminated", "suspended_new", "lost_contact", "lost_contact_new",
	"tests_due", "tests_due_done", "tests", "tests_positive", "tests_refused",
	"visits_staff", "visits_volunteer", "leaves", "violations", "police_reports",
	"risk_high", "risk_medium", "risk_low", "risk_none", "methadone",
	"emp_central", "emp_dispersed", "emp_startup", "emp_self", "emp_public", "emp_unemployed", "emp_unable", "emp_unknown",
	"placed", "able", "able_willing", "placed_willing",
	"poverty", "dibao", "medical_aid", "assistance", "ill_disabled",
	"staff", "staff_required", "volunteers_active", "volunteers_insured",
}

// submissionV3 adds the rows of the employment the vocabulary counts as
// placed (务农, 外出务工, 灵活就业: before, counted as not recorded) and the
// transfers in and out of the month.
var submissionV3 = append(append([]string{}, submissionV2...),
	"emp_farming", "emp_migrant", "emp_flexible", "transfers_in", "transfers_out")

// submissionOrders are the count orders by version; the last is written.
var submissionOrders = map[int][]string{1: submissionV1, 2: submissionV2, 3: submissionV3}

// submissionVersion is the version written.
const submissionVersion = 3

// ErrBadSubmission means a submission record could not be read.
var ErrBadSubmission = errors.New("submitted report is unreadable")

// EncodeSubmission packs a report's totals as a revision.
func EncodeSubmission(m *Monthly, rev int, submitted time.Time) (string, error) {
	s := submission{Version: submissionVersion, Township: m.Township, Month: m.Month, Revision: rev, AsOf: m.AsOf.UTC(),
		Submitted: submitted.UTC(), Ratios: [2]int{m.UsersPerStaff, m.RehabPerStaff}}
	if !m.FlagsAt.IsZero() {
		s.FlagsAt = m.FlagsAt.UnixMilli()
	}
	for _, id := range submissionOrders[submissionVersion] {
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

// Submitted is a township's report as the county receives it: totals only,
// with the revision it is.
type Submitted struct {
	*Monthly
	Submitted time.Time
}

// DecodeSubmission unpacks a submission into a report with its totals.
func DecodeSubmission(value string) (*Submitted, error) {
	var s submission
	if err := json.Unmarshal([]byte(value), &s); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadSubmission, err)
	}
	order := submissionOrders[s.Version]
	if order == nil || len(s.Counts) != len(order) {
		return nil, fmt.Errorf("%w: version %d with %d counts", ErrBadSubmission, s.Version, len(s.Counts))
	}
	m := &Monthly{Township: s.Township, Month: s.Month, AsOf: s.AsOf, UsersPerStaff: s.Ratios[0], RehabPerStaff: s.Ratios[1],
		Revision: max(s.Revision, 1)}
	if s.FlagsAt != 0 {
		m.FlagsAt = time.UnixMilli(s.FlagsAt).UTC()
	}
	m.Total = Row{Code: s.Township, Counts: Counts{}}
	for i, n := range s.Counts {
		m.Total.Counts[order[i]] = n
	}
	st := s.Staffing
	m.Staffing = rules.Staffing{Staff: st[0], Users: st[1], UnderCare: st[2], ByUsers: st[3], ByUnderCare: st[4], Required: st[5]}
	return &Submitted{Monthly: m, Submitted: s.Submitted}, nil
}

// MonthError is a report refused for its month; it is translated at the
// edge by its key.
type MonthError struct{ key, month string }

func (e *MonthError) Error() string {
	return strings.TrimPrefix(e.key, "error.report.") + ": " + e.month
}

// MessageKey gives the translation key of the error.
func (e *MonthError) MessageKey() (string, []any) { return e.key, []any{e.month} }

// ErrMonthNotEnded is the error kind of a submission before its month ended.
var ErrMonthNotEnded = &MonthError{key: "error.report.month_not_ended"}

// Is lets errors.Is match any MonthError of the same key.
func (e *MonthError) Is(target error) bool {
	t, ok := target.(*MonthError)
	return ok && t.key == e.key
}

// Revisions are a month's submitted revisions, oldest first.
func Revisions(ctx context.Context, s *store.Store, month string) ([]*Submitted, error) {
	settings, err := s.List(ctx, store.KindSetting, store.ListFilter{})
	if err != nil {
		return nil, err
	}
	return RevisionsIn(settings, month)
}

// RevisionsIn finds a month's revisions among setting records, oldest
// first.
func RevisionsIn(settings []*store.Record, month string) ([]*Submitted, error) {
	var out []*Submitted
	for _, r := range settings {
		if m, rev := SubmissionMonth(r.Get("key")); m == month {
			sub, err := DecodeSubmission(r.Get("value"))
			if err != nil {
				return nil, err
			}
			sub.Revision = rev
			out = append(out, sub)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Revision < out[j].Revision })
	return out, nil
}

// Submit stores the report as the month's next revision and returns its
// number; the next sync uploads it. A month not yet ended is refused. When
// the figures equal the latest revision's nothing is stored and its number
// is returned.
func Submit(ctx context.Context, s *store.Store, m *Monthly, now time.Time) (int, error) {
	month, err := ParseMonth(m.Month)
	if err != nil {
		return 0, err
	}
	if !month.Ended(rules.DayOf(now.In(rules.ChinaTime))) {
		return 0, &MonthError{key: ErrMonthNotEnded.key, month: m.Month}
	}
	revs, err := Revisions(ctx, s, m.Month)
	if err != nil {
		return 0, err
	}
	rev := 1
	if n := len(revs); n > 0 {
		if len(Changes(revs[n-1].Total.Counts, m.Total.Counts)) == 0 {
			return revs[n-1].Revision, nil
		}
		rev = revs[n-1].Revision + 1
	}
	value, err := EncodeSubmission(m, rev, now)
	if err != nil {
		return 0, err
	}
	_, err = s.Put(ctx, store.KindSetting, "", map[string]string{"key": SubmissionKey(m.Month, rev), "value": value})
	return rev, err
}

// Changes lists the rows (IDs, in form order) whose figures differ between
// a revision's totals (before, decoded: it holds every row its version
// carries) and newer ones; rates follow their counts. A row the revision's
// version did not have yet is no change.
func Changes(before, after Counts) []string {
	var out []string
	for _, d := range Defs {
		if _, had := before[d.ID]; !had {
			continue
		}
		if d.Kind != Rate && before[d.ID] != after[d.ID] {
			out = append(out, d.ID)
		}
	}
	return out
}
