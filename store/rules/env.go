package rules

import "sync"

// env is one evaluation's context: the day, the thresholds, and allocation
// pools. A township yields hundreds of thousands of alerts; taking their
// argument lists from a shared slab and reusing boxed dates keeps the
// garbage collector out of the 300 ms budget.
type env struct {
	today Day
	t     *Thresholds
	slab  []any
}

func newEnv(today Day, t *Thresholds) *env { return &env{today: today, t: t} }

// Dates from 2000 to 2060 are boxed once for the process: converting a Day
// to an interface otherwise allocates.
var (
	boxLo    = ParseDay("2000-01-01")
	boxedDay = sync.OnceValue(func() []any {
		out := make([]any, ParseDay("2061-01-01")-boxLo)
		for i := range out {
			out[i] = boxLo + Day(i)
		}
		return out
	})
)

// d boxes a date for an argument list.
func (e *env) d(day Day) any {
	if i := int(day - boxLo); i >= 0 && i < len(boxedDay()) {
		return boxedDay()[i]
	}
	return day
}

// args returns room for n arguments from the slab.
func (e *env) args(n int) []any {
	if len(e.slab)+n > cap(e.slab) {
		e.slab = make([]any, 0, max(min(4096, 2*cap(e.slab)+16), n))
	}
	start := len(e.slab)
	e.slab = e.slab[:start+n]
	return e.slab[start : start+n : start+n]
}

// alert makes an alert whose arguments live in the slab.
func (e *env) alert(r Rule, sev Severity, person string, due Day, variant string, args ...any) Alert {
	a := Alert{Rule: r.ID, Severity: sev, PersonID: person, Due: due, Key: keyOf(r.ID, variant)}
	if len(args) > 0 {
		a.Args = e.args(len(args))
		copy(a.Args, args)
	}
	return a
}

// measureTerm is the boxed name of a measure type.
func measureTerm(typ string) any {
	if typ == "rehab" {
		return rehabTerm
	}
	return detoxTerm
}

var detoxTerm, rehabTerm any = Term("type.detox"), Term("type.rehab")
