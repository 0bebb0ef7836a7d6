package report

import (
	"context"

	"rehabdesk/store"
	"rehabdesk/store/rules"
)

// Generate computes a township's report for a month from the store, with
// every record as it stood at the month's end: edits made later, even to
// events of that month, do not change it.
//
// Volunteers may not make reports: they see only their own persons and no
// test results, so their figures would be wrong as well as too revealing.
func Generate(ctx context.Context, s *store.Store, m Month) (*Monthly, error) {
	if s.Session().Role == "volunteer" {
		return nil, store.ErrForbidden
	}
	kinds := append([]store.Kind{store.KindSetting}, rules.Kinds...)
	recs, err := s.Snapshot(ctx, m.End(), kinds...)
	if err != nil {
		return nil, err
	}
	d := rules.Build(s.Township(), recs)
	if err := s.Audit(ctx, store.ActionReport, "", "monthly "+m.String()); err != nil {
		return nil, err
	}
	out := Compute(d, m, rules.ThresholdsFrom(recs[store.KindSetting]))
	out.Police = rules.PoliceFiguresFrom(recs[store.KindSetting])
	return out, nil
}
