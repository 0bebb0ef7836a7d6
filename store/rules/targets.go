package rules

import "strconv"

// Verdict is how a yearly target stands.
type Verdict int

// Verdicts of a yearly target.
const (
	NoBase Verdict = iota // the year before has no figure to compare with
	Met
	Missed
)

var verdictNames = []string{"no_base", "met", "missed"}

// String is the stable code of a verdict ("met"...).
func (v Verdict) String() string { return verdictNames[v] }

// Target is one yearly target worked out: this year's figure, last year's,
// the change and the verdict. Figures are text ("12.5", "-") ready to show.
type Target struct {
	Now, Before string // rate in percent (detection) or a count (compulsory)
	Change      string // percentage points (detection) or percent (compulsory), signed
	Goal        int    // the threshold the change is held to
	Verdict     Verdict
}

// DetectionTarget compares the detection rates (found / base) of the two periods:
// met when this year's rate is at least gain percentage points above last
// year's. Without persons on file at the start of either year there is no
// rate, and so no verdict.
func (f YearFigures) DetectionTarget(gain int) Target {
	t := Target{Now: Percent(f.Found, f.Base), Before: Percent(f.PrevFound, f.PrevBase), Change: "-", Goal: gain}
	if f.Base == 0 || f.PrevBase == 0 {
		return t
	}
	// found/base − prevFound/prevBase ≥ gain/100, over the common denominator
	// base·prevBase, in integers: a rate exactly on the target meets it.
	num := 100 * (int64(f.Found)*int64(f.PrevBase) - int64(f.PrevFound)*int64(f.Base))
	den := int64(f.Base) * int64(f.PrevBase)
	t.Change, t.Verdict = signedTenths(num, den), verdict(num >= int64(gain)*den)
	return t
}

// CompulsoryTarget compares the handovers of the two periods: met when this
// year's count is at least gain percent above last year's. With none last
// year there is nothing to grow from: no verdict, never a division by zero.
func (f YearFigures) CompulsoryTarget(gain int) Target {
	t := Target{Now: strconv.Itoa(f.Compulsory), Before: strconv.Itoa(f.PrevCompulsory), Change: "-", Goal: gain}
	if f.PrevCompulsory == 0 {
		return t
	}
	num := 100 * int64(f.Compulsory-f.PrevCompulsory)
	den := int64(f.PrevCompulsory)
	t.Change, t.Verdict = signedTenths(num, den), verdict(num >= int64(gain)*den)
	return t
}

func verdict(met bool) Verdict {
	if met {
		return Met
	}
	return Missed
}

// signedTenths writes num/den with one decimal and a sign ("+5.0", "-2.5"),
// rounded down: since targets are whole numbers, a change shown at or above
// the target is one that meets it (4.96 shows as +4.9, not +5.0).
func signedTenths(num, den int64) string {
	tenths := num * 10 / den
	if (num*10)%den != 0 && (num < 0) != (den < 0) {
		tenths-- // Go truncates toward zero; floor instead
	}
	sign := "+"
	if tenths < 0 {
		sign, tenths = "-", -tenths
	}
	return sign + strconv.FormatInt(tenths/10, 10) + "." + strconv.FormatInt(tenths%10, 10)
}
