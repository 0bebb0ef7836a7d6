package report

import (
	"strconv"

	"rehabdesk/store/rules"
)

// YearToDate is the county's year so far, from January to the report's
// month, held to the targets the county set for that year. Targets are
// whatever the county or province sets each year (DOMAIN.md): with none set
// there is no verdict, and police figures are shown as entered, never
// stood in for by counts from the townships' files.
type YearToDate struct {
	Year    int
	Through string         // the report's month
	Counts  Counts         // flows summed over the months, stocks of the last month
	Months  int            // months with at least one township's revision
	Targets map[string]int // target name → value, as the county set them
	Police  map[string]int // police figure name → value, as entered
}

// MonthNumber is the number of the report's month (1-12), 0 if unknown.
func (y *YearToDate) MonthNumber() int {
	m, err := ParseMonth(y.Through)
	if err != nil {
		return 0
	}
	return int(m.Month)
}

// TargetDef is one yearly target the county can set: "placement_rate" = 90
// holds the county's placement rate year to date to at least 90 %.
type TargetDef struct {
	Name   string
	Police bool // compared with a police figure entered at the county
	// actual is the county's figure: a rate num/den, or a count (den 1).
	actual func(y *YearToDate) (num, den int, ok bool)
}

// TargetDefs are the targets a county can set, in the order shown.
var TargetDefs = []TargetDef{
	{Name: "placement_rate", actual: rateOf("placed", "able")},
	{Name: "willing_rate", actual: rateOf("placed_willing", "able_willing")},
	{Name: "test_rate", actual: rateOf("tests_due_done", "tests_due")},
	{Name: "report_in_rate", actual: rateOf("report_due_met", "report_due")},
	{Name: "police_found", Police: true, actual: policeFigure("found")},
	{Name: "police_compulsory", Police: true, actual: policeFigure("compulsory")},
}

func rateOf(n, of string) func(*YearToDate) (int, int, bool) {
	return func(y *YearToDate) (int, int, bool) { return y.Counts[n], y.Counts[of], y.Counts[of] > 0 }
}

func policeFigure(name string) func(*YearToDate) (int, int, bool) {
	return func(y *YearToDate) (int, int, bool) {
		n, ok := y.Police[name]
		return n, 1, ok
	}
}

// TargetLine is one target's year-to-date figure and verdict.
type TargetLine struct {
	Name    string
	Actual  string // "87.5" (a rate), "12" (a count), "" when not known
	Target  string // "" when the county set none
	Verdict string // "met", "not_met", or "" (no target, or no figure)
}

// Lines are the targets with their figures: every defined target, so the
// sheet shows the year-to-date figures even when no target is set.
func (y *YearToDate) Lines() []TargetLine {
	var out []TargetLine
	for _, d := range TargetDefs {
		l := TargetLine{Name: d.Name}
		num, den, ok := d.actual(y)
		if ok {
			l.Actual = strconv.Itoa(num)
			if !d.Police {
				l.Actual = rules.Percent(num, den)
			}
		}
		if t, set := y.Targets[d.Name]; set {
			l.Target = strconv.Itoa(t)
			if ok {
				l.Verdict = map[bool]string{true: "met", false: "not_met"}[met(num, den, t, d.Police)]
			}
		}
		out = append(out, l)
	}
	return out
}

// met compares a figure with its target: a rate num/den against a percent,
// a count against a count.
func met(num, den, target int, count bool) bool {
	if count {
		return num >= target
	}
	return num*100 >= target*den
}

// isFlow: flows are summed over the months; the others are stocks taken
// from the last month.
func isFlow(id string) bool {
	d, ok := DefOf(id)
	return ok && d.Kind == Flow
}

// CombineYear sums a year's months for the county: monthly holds each
// month's county summary from January to the report's month.
func CombineYear(year int, through string, monthly []*County, targets, police map[string]int) *YearToDate {
	y := &YearToDate{Year: year, Through: through, Counts: Counts{}, Targets: targets, Police: police}
	for _, c := range monthly {
		if len(c.Rows) == len(c.Missing) {
			continue
		}
		y.Months++
		for id, n := range c.Total.Counts {
			if isFlow(id) {
				y.Counts[id] += n
			} else if c.Month == through {
				y.Counts[id] = n
			}
		}
	}
	return y
}
