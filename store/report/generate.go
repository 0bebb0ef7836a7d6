package report

import (
	"context"

	"rehabdesk/store"
	"rehabdesk/store/rules"
)

// Where a township's month stands (Monthly.Status).
const (
	StatusOpen      = "open"      // the month has not ended: a draft, not submittable
	StatusDraft     = "draft"     // ended, before the deadline, not submitted
	StatusLate      = "late"      // past the deadline, not submitted
	StatusSubmitted = "submitted" // revision 1 submitted, figures unchanged since
	StatusCorrected = "corrected" // a later revision (更正) submitted, unchanged since
	StatusChanged   = "changed"   // figures differ from the last revision: a correction is due
)

// Generate computes a township's report for a month from the store as it
// stands now, counting by the events' own dates, and says where the month
// stands against its deadline and its submitted revisions.
//
// Volunteers may not make reports: they see only their own persons and no
// test results, so their figures would be wrong as well as too revealing.
func Generate(ctx context.Context, s *store.Store, m Month) (*Monthly, error) {
	if s.Session().Role == "volunteer" {
		return nil, store.ErrForbidden
	}
	d, th, err := rules.Load(ctx, s)
	if err != nil {
		return nil, err
	}
	settings, err := s.List(ctx, store.KindSetting, store.ListFilter{})
	if err != nil {
		return nil, err
	}
	revs, err := RevisionsIn(settings, m.String())
	if err != nil {
		return nil, err
	}
	if err := s.Audit(ctx, store.ActionReport, "", store.AuditDetail(store.AuditMonthly, m.String())); err != nil {
		return nil, err
	}
	if err := KeepDeparted(ctx, s); err != nil {
		return nil, err
	}
	h, err := LoadHistory(ctx, s)
	if err != nil {
		return nil, err
	}
	out := computeAt(d, h, m, th, flagsMoment(revs, m))
	out.AsOf = s.Now()
	out.Police = rules.PoliceFiguresFrom(settings)
	if out.Targets, err = CountyTargets(ctx, s, m.Year); err != nil {
		return nil, err
	}
	out.setStatus(revs, rules.DayOfChina(out.AsOf), m, m.Deadline(th.ReportDeadlineDay))
	return out, nil
}

// FirstChanged returns the first of months that was submitted and whose
// figures changed since its last revision, or nil. It reads the township
// once, computes only months with a revision, and makes no audit entry: it
// shows the officer which month needs a correction, not a report.
func FirstChanged(ctx context.Context, s *store.Store, months []Month) (*Monthly, error) {
	if s.Session().Role == "volunteer" {
		return nil, store.ErrForbidden
	}
	settings, err := s.List(ctx, store.KindSetting, store.ListFilter{})
	if err != nil {
		return nil, err
	}
	var d *rules.Data
	var h *History
	var th rules.Thresholds
	for _, m := range months {
		revs, err := RevisionsIn(settings, m.String())
		if err != nil || len(revs) == 0 {
			continue
		}
		if d == nil {
			if d, th, err = rules.Load(ctx, s); err != nil {
				return nil, err
			}
			if err := KeepDeparted(ctx, s); err != nil {
				return nil, err
			}
			if h, err = LoadHistory(ctx, s); err != nil {
				return nil, err
			}
		}
		out := computeAt(d, h, m, th, flagsMoment(revs, m))
		out.AsOf = s.Now()
		out.setStatus(revs, rules.DayOfChina(out.AsOf), m, m.Deadline(th.ReportDeadlineDay))
		if out.Status == StatusChanged {
			return out, nil
		}
	}
	return nil, nil
}

// setStatus compares the figures with the last revision submitted, or
// places the month against its deadline when none was.
func (out *Monthly) setStatus(revs []*Submitted, today rules.Day, m Month, deadline rules.Day) {
	if n := len(revs); n > 0 {
		last := revs[n-1]
		out.Revision, out.Changed = last.Revision, Changes(last.Total.Counts, out.Total.Counts)
		switch {
		case len(out.Changed) > 0:
			out.Status = StatusChanged
		case last.Revision > 1:
			out.Status = StatusCorrected
		default:
			out.Status = StatusSubmitted
		}
		return
	}
	switch {
	case !m.Ended(today):
		out.Status = StatusOpen
	case today <= deadline:
		out.Status = StatusDraft
	default:
		out.Status = StatusLate
	}
}

// Draft reports whether the report is a draft: not submitted, and the
// month not yet past its deadline.
func (out *Monthly) Draft() bool { return out.Status == StatusOpen || out.Status == StatusDraft }
