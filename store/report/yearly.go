package report

import (
	"fmt"

	"rehabdesk/store/rules"
)

// YearRow is a row's figures for the seed document's yearly targets, year
// to date against the same months a year before, and the targets they are
// held to. The figures are proxies counted from the files (see
// rules.YearFigures), not the police's statistics, and the sheet says so.
type YearRow struct {
	rules.YearFigures
	DetectionGain  int `json:"detection_gain"`  // percentage points
	CompulsoryGain int `json:"compulsory_gain"` // percent
}

// DetectionCheck is the detection-rate target worked out for the row.
func (y *YearRow) DetectionCheck() rules.Target { return y.DetectionTarget(y.DetectionGain) }

// CompulsoryCheck is the 强制隔离戒毒 target worked out for the row.
func (y *YearRow) CompulsoryCheck() rules.Target { return y.CompulsoryTarget(y.CompulsoryGain) }

func newYearRow(th rules.Thresholds) *YearRow {
	return &YearRow{DetectionGain: th.DetectionGain, CompulsoryGain: th.CompulsoryGain}
}

// yearV1 is the number of values of the "y" field of a submission: the
// eight YearFigures counts then the two targets; yearV2 adds the persons
// dated by their earliest measure, in the order of yearValues.
const (
	yearV1 = 10
	yearV2 = 11
)

// yearValues packs a row for submission.
func yearValues(y *YearRow) []int {
	if y == nil {
		return nil
	}
	f := y.YearFigures
	return []int{f.Found, f.Base, f.Compulsory, f.PrevFound, f.PrevBase, f.PrevCompulsory,
		f.NoFirstFound, f.NoEndDate, y.DetectionGain, y.CompulsoryGain, f.DatedByMeasure}
}

// yearFromValues unpacks a submission's "y" field; none (a township whose
// software predates the targets) is nil, not zeros. Values past the ones
// known here come from a newer township's software and are left unread.
func yearFromValues(v []int) (*YearRow, error) {
	if len(v) == 0 {
		return nil, nil
	}
	if len(v) < yearV1 {
		return nil, fmt.Errorf("%w: %d yearly values", ErrBadSubmission, len(v))
	}
	f := rules.YearFigures{Found: v[0], Base: v[1], Compulsory: v[2], PrevFound: v[3], PrevBase: v[4],
		PrevCompulsory: v[5], NoFirstFound: v[6], NoEndDate: v[7]}
	if len(v) >= yearV2 {
		f.DatedByMeasure = v[10]
	}
	return &YearRow{YearFigures: f, DetectionGain: v[8], CompulsoryGain: v[9]}, nil
}

// combineYears sums the townships' yearly figures for the county. The
// county total is held to the targets the townships share, or to the
// defaults (the seed document's) when they differ.
func combineYears(rows []Row) *YearRow {
	var total *YearRow
	mixed := false
	for _, r := range rows {
		if r.Year == nil {
			continue
		}
		if total == nil {
			total = &YearRow{DetectionGain: r.Year.DetectionGain, CompulsoryGain: r.Year.CompulsoryGain}
		}
		mixed = mixed || r.Year.DetectionGain != total.DetectionGain || r.Year.CompulsoryGain != total.CompulsoryGain
		total.Add(r.Year.YearFigures)
	}
	if total != nil && mixed {
		d := rules.DefaultThresholds()
		total.DetectionGain, total.CompulsoryGain = d.DetectionGain, d.CompulsoryGain
	}
	return total
}
