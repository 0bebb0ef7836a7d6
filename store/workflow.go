package store

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"rehabdesk/assets"
	"rehabdesk/internal/i18n"
	"rehabdesk/store/valid"
)

// The workflow actions of a person's file (issue 18): each duty the law
// puts on the township is one call here, written in one transaction with
// its audit entry, so that the record and the note of who did it are kept
// together or not at all. They write the existing record types and fields
// only (an agreement record, a leave record, the person's lost_contact, the
// measure's status and dates), which the rules and the monthly report
// already read.

// Duty names a workflow action; the audit entry's detail is "duty <name>"
// (app/auditdetail.go words it).
const (
	DutyAgreement      = "agreement"
	DutyLeave          = "leave"
	DutyReturn         = "return"
	DutyTransfer       = "transfer"
	DutyLost           = "lost"
	DutyFound          = "found"
	DutyCompleted      = "completed"
	DutySuspended      = "suspended"
	DutyTerminated     = "terminated"
	DutyResumed        = "resumed"
	DutyReportedIn     = "reported_in"
	DutyAttach         = "attach"
	DutyOpenAttachment = "open_attachment"
)

// Errors of the workflow actions, with their own translation keys
// (assets/translations/errors).
var (
	ErrNoMeasure      = i18n.NewError("duty.error.no_measure", "the person has no measure in force")
	ErrMeasureEnded   = i18n.NewError("duty.error.measure_ended", "the measure has already ended")
	ErrSameTownship   = i18n.NewError("duty.error.same_township", "the person is already in that township")
	ErrAlreadyLost    = i18n.NewError("duty.error.already_lost", "the person is already marked as lost contact")
	ErrNotLost        = i18n.NewError("duty.error.not_lost", "the person is not marked as lost contact")
	ErrAlreadyBack    = i18n.NewError("duty.error.already_back", "the return of this leave is already recorded")
	ErrBadDutyOutcome = i18n.NewError("duty.error.outcome", "unknown measure outcome")
)

// duty runs one workflow action and writes its audit entry on the record
// the action names, in the same transaction.
func (s *Store) duty(ctx context.Context, name string, fn func(tx *Tx) (string, error)) (string, error) {
	if err := s.officerOnly(); err != nil {
		return "", err // volunteers log visits only; the county reads
	}
	var id string
	err := s.Update(ctx, func(tx *Tx) error {
		var err error
		if id, err = fn(tx); err != nil {
			return err
		}
		return tx.Audit(ActionRecord, id, AuditDetail(AuditDuty, name))
	})
	return id, err
}

// SignAgreement records the agreement (协议) signed by the person (戒毒条例
// arts. 16, 38), linked to the measure in force when none is named.
func (s *Store) SignAgreement(ctx context.Context, person string, fields map[string]string) (string, error) {
	return s.duty(ctx, DutyAgreement, func(tx *Tx) (string, error) {
		f := copyFields(fields)
		f["person"] = person
		if f["measure"] == "" {
			if m, err := tx.currentMeasure(person); err == nil {
				f["measure"] = m.ID
			}
		}
		return tx.Put(KindAgreement, "", f)
	})
}

// RecordLeave records a reported leave (外出报告, 戒毒条例 art. 19). The
// expected return is required: the overdue rule counts from it.
func (s *Store) RecordLeave(ctx context.Context, person string, fields map[string]string) (string, error) {
	return s.duty(ctx, DutyLeave, func(tx *Tx) (string, error) {
		f := copyFields(fields)
		f["person"] = person
		if err := valid.Required("expected_return", f["expected_return"]); err != nil {
			return "", err
		}
		id, err := tx.Put(KindLeave, "", f)
		if err != nil {
			return "", err
		}
		return id, tx.leaveDatesInOrder(id)
	})
}

// RecordReturn records the day the person came back from a leave.
func (s *Store) RecordReturn(ctx context.Context, leave, day string) error {
	_, err := s.duty(ctx, DutyReturn, func(tx *Tx) (string, error) {
		l, err := tx.Get(leave)
		if err != nil {
			return "", err
		}
		if l.Kind != KindLeave {
			return "", fmt.Errorf("record %s is a %s, not a leave: %w", leave, l.Kind, ErrNotFound)
		}
		if l.Get("actual_return") != "" {
			return "", ErrAlreadyBack
		}
		if _, err := tx.Put(KindLeave, leave, map[string]string{"actual_return": day}); err != nil {
			return "", err
		}
		return leave, tx.leaveDatesInOrder(leave)
	})
	return err
}

// leaveDatesInOrder refuses a leave whose return (expected or actual) is
// before the departure, comparing the dates as stored (normalised).
func (tx *Tx) leaveDatesInOrder(id string) error {
	l, err := tx.get(id)
	if err != nil {
		return err
	}
	for _, f := range []string{"expected_return", "actual_return"} {
		if v := l.Fields[f]; v != "" && v < l.Fields["depart_date"] {
			return &valid.Error{Field: f, Code: valid.CodeDateOrder, Value: v}
		}
	}
	return nil
}

// MarkLostContact marks the person as lost contact (失联/脱管) from a day.
func (s *Store) MarkLostContact(ctx context.Context, person, day string) error {
	_, err := s.duty(ctx, DutyLost, func(tx *Tx) (string, error) {
		p, err := tx.Get(person)
		if err != nil {
			return "", err
		}
		if p.Get("lost_contact") != "" {
			return "", ErrAlreadyLost
		}
		return tx.Put(KindPerson, person, map[string]string{"lost_contact": day})
	})
	return err
}

// MarkFound clears the lost-contact mark: the person was found again on a
// day (found_date), not after today nor before contact was lost. The
// change log keeps the day the mark was set, so the months it covered
// still count it (the monthly report replays the log), until that day.
func (s *Store) MarkFound(ctx context.Context, person, day string) error {
	_, err := s.duty(ctx, DutyFound, func(tx *Tx) (string, error) {
		p, err := tx.Get(person)
		if err != nil {
			return "", err
		}
		if p.Get("lost_contact") == "" {
			return "", ErrNotLost
		}
		found, err := tx.endDay("found_date", day, p.Get("lost_contact"))
		if err != nil {
			return "", err
		}
		return tx.Put(KindPerson, person, map[string]string{"lost_contact": "", "found_date": found})
	})
	return err
}

// endDay checks the day a 失联 or a 中止 ended, as the officer gives it:
// required, a date, not after today and not before the day it began. It
// returns the day as stored.
func (tx *Tx) endDay(field, day, began string) (string, error) {
	if err := valid.Required(field, day); err != nil {
		return "", err
	}
	d, err := valid.ParseDate(day)
	if _, err := withField(field, "", err); err != nil {
		return "", err
	}
	if d.After(tx.s.Today()) {
		return "", &valid.Error{Field: field, Code: valid.CodeDateFuture, Value: day}
	}
	if b, err := valid.ParseDate(began); err == nil && d.Before(b) {
		return "", &valid.Error{Field: field, Code: valid.CodeDateOrder, Value: day}
	}
	return valid.FormatDate(d), nil
}

// copyFields copies a caller's map before the action adds to it.
func copyFields(m map[string]string) map[string]string {
	out := make(map[string]string, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}

// currentMeasure is the person's measure in force, as the lists pick it.
func (tx *Tx) currentMeasure(person string) (*Record, error) {
	ids, err := queryStrings(tx.ctx, tx.tx, "SELECT id FROM records WHERE person_id = ? AND kind = ? AND archived = 0", person, string(KindMeasure))
	if err != nil {
		return nil, err
	}
	var ms []*Record
	for _, id := range ids {
		m, err := tx.get(id)
		if err != nil {
			return nil, err
		}
		ms = append(ms, m)
	}
	m := CurrentMeasure(ms)
	if m == nil {
		return nil, ErrNoMeasure
	}
	return m, nil
}

// outcomeFrom says, for each outcome of a measure, from which statuses it
// may be recorded, the status it sets and the date field it dates.
var outcomeFrom = map[string]struct {
	from   []string
	status string
	date   string
}{
	DutyReportedIn: {[]string{"pending"}, "active", "report_in_date"},                      // 报到, arts. 14, 22, 37
	DutyCompleted:  {[]string{"active", "suspended"}, "completed", "end_date"},             // 期满解除, arts. 23, 40
	DutyTerminated: {[]string{"pending", "active", "suspended"}, "terminated", "end_date"}, // 终止, art. 24 (and 25: 拒绝报到 / 严重违反)
	DutySuspended:  {[]string{"active"}, "suspended", "suspended_date"},                    // 中止, art. 24
	DutyResumed:    {[]string{"suspended"}, "active", "resumed_date"},                      // lifted on its own day (endDay)
}

// SetMeasureOutcome records the report-in (报到) of a pending measure, the
// completion (期满解除), termination (终止) or suspension (中止) of a measure
// on a day, or its resumption after a suspension on a day (not after today
// nor before the suspension). A report-in dates the
// start of the term when it has none. An ended measure takes no outcome (ErrMeasureEnded).
func (s *Store) SetMeasureOutcome(ctx context.Context, measure, outcome, day string) error {
	o, ok := outcomeFrom[outcome]
	if !ok {
		return ErrBadDutyOutcome
	}
	_, err := s.duty(ctx, outcome, func(tx *Tx) (string, error) {
		m, err := tx.Get(measure)
		if err != nil {
			return "", err
		}
		if m.Kind != KindMeasure {
			return "", fmt.Errorf("record %s is a %s, not a measure: %w", measure, m.Kind, ErrNotFound)
		}
		if !slices.Contains(o.from, m.Get("status")) {
			return "", ErrMeasureEnded
		}
		f := map[string]string{"status": o.status}
		if o.date != "" {
			f[o.date] = day
		}
		if outcome == DutyResumed {
			if f[o.date], err = tx.endDay(o.date, day, m.Get("suspended_date")); err != nil {
				return "", err
			}
		}
		if outcome == DutyReportedIn && m.Get("start_date") == "" {
			f["start_date"] = day // the term counts from report-in (art. 16)
		}
		return tx.Put(KindMeasure, measure, f)
	})
	return err
}

// StartTransfer moves the person to another township (变更执行地, 戒毒条例
// art. 22) on a day. The measure in force ends here as "transferred", and
// the file carries a new pending measure of the same type, decision and
// planned end, received that day: the receiving township sees a pending
// report-in with its own 15-day deadline (the report-in rule counts from
// received_date), and the term continues (art. 22, "连续计算"). Then every
// record of the file moves (TransferPerson), all in one transaction.
func (s *Store) StartTransfer(ctx context.Context, person, toTownship, day string) error {
	_, err := s.duty(ctx, DutyTransfer, func(tx *Tx) (string, error) {
		p, err := tx.Get(person)
		if err != nil {
			return "", err
		}
		if p.Township == toTownship {
			return "", ErrSameTownship
		}
		if _, ok := assets.Township(toTownship); !ok {
			return "", fmt.Errorf("%w: %q", ErrUnknownTown, toTownship)
		}
		if err := tx.handOverMeasure(person, day); err != nil {
			return "", err
		}
		return person, tx.TransferPerson(person, toTownship)
	})
	return err
}

// handOverMeasure ends the measure in force as transferred and opens its
// pending continuation; a person with no measure under way moves as is.
func (tx *Tx) handOverMeasure(person, day string) error {
	m, err := tx.currentMeasure(person)
	if errors.Is(err, ErrNoMeasure) {
		return nil
	}
	if err != nil {
		return err
	}
	if !slices.Contains([]string{"pending", "active", "suspended"}, m.Fields["status"]) {
		return nil
	}
	if _, err := tx.Put(KindMeasure, m.ID, map[string]string{"status": "transferred", "end_date": day}); err != nil {
		return err
	}
	next := map[string]string{"person": person, "status": "pending", "received_date": day}
	for _, f := range []string{"type", "decision_no", "authority", "decision_date", "planned_end"} {
		next[f] = m.Fields[f]
	}
	_, err = tx.Put(KindMeasure, "", next)
	return err
}
