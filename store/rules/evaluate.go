package rules

import (
	"runtime"
	"slices"
	"sync"
)

// Evaluate computes every alert of a township on a day: each person's, each
// volunteer's and the township's own. The result is sorted by severity,
// then due date (undated last), then person. It does not modify d.
func Evaluate(d *Data, today Day, t Thresholds) []Alert {
	parts := evaluatePersons(d.Persons, today, &t)
	var town []Alert
	town = volunteerAlerts(d.Volunteers, today, &t, town)
	town = staffingAlert(d, &t, today, town)
	town = placementAlert(d, &t, town)
	return sortParts(append(parts, town))
}

// ForVolunteer keeps the alerts a volunteer acts on: visits due for the
// persons assigned to them. A volunteer's records lack test results and
// violations, so the other rules would be computed on partial data.
func ForVolunteer(as []Alert) []Alert {
	out := as[:0:0]
	for _, a := range as {
		if a.Rule == VisitDue.ID {
			out = append(out, a)
		}
	}
	return out
}

// evaluatePersons splits the persons among the CPUs: each person's rules
// read only that person, so the parts need no locking.
func evaluatePersons(ps []*Person, today Day, t *Thresholds) [][]Alert {
	parts := min(runtime.GOMAXPROCS(0), 64)
	if len(ps) < 2000 || parts < 2 {
		parts = 1
	}
	results := make([][]Alert, parts)
	var wg sync.WaitGroup
	for i := range parts {
		lo, hi := len(ps)*i/parts, len(ps)*(i+1)/parts
		wg.Go(func() {
			e, out := newEnv(today, t), make([]Alert, 0, hi-lo)
			for _, p := range ps[lo:hi] {
				out = e.personAlerts(p, out)
			}
			results[i] = out
		})
	}
	wg.Wait()
	return results
}

// sortParts merges and sorts the alerts of several parts into a new slice.
// It sorts packed integer keys and moves each alert once: alerts are large
// and a township has hundreds of thousands.
func sortParts(parts [][]Alert) []Alert {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	keys := make([]uint64, 0, n)
	for pi, p := range parts {
		for i, a := range p {
			due := uint64(a.Due)
			if a.Due <= 0 {
				due = 1<<24 - 1
			}
			// severity 8 bits | due 24 bits | part 8 bits | index 24 bits
			keys = append(keys, uint64(a.Severity&0xff)<<56|(due&(1<<24-1))<<32|uint64(pi&0xff)<<24|uint64(i&(1<<24-1)))
		}
	}
	slices.Sort(keys)
	sorted := make([]Alert, len(keys))
	for i, k := range keys {
		sorted[i] = parts[(k>>24)&0xff][k&(1<<24-1)]
	}
	return sorted
}
