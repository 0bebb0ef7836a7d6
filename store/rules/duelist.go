package rules

import (
	"sort"

	"rehabdesk/store/search"
)

// DueItem is a person due for a test or a visit, and since when.
type DueItem struct {
	Person *Person
	Due    Day
}

// DueBy lists the persons whose test (TestDue) or visit (VisitDue) falls due
// on or before end, as the rules see it on that day: the batch entry of a
// test day or a visit round lists them, by village and then the name's
// pinyin (the order of a paper roll), so that
// its list and the home screen's alerts never disagree.
func DueBy(d *Data, r Rule, end Day, t Thresholds) []DueItem {
	e := newEnv(end, &t)
	var out []DueItem
	for _, p := range d.Persons {
		for _, a := range e.personAlerts(p, nil) {
			if a.Rule == r.ID && a.Due <= end {
				out = append(out, DueItem{Person: p, Due: a.Due})
				break
			}
		}
	}
	keys := make(map[*Person]string, len(out))
	for _, it := range out {
		keys[it.Person], _ = search.Pinyin(it.Person.Name)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Person, out[j].Person
		if a.Village != b.Village {
			return a.Village < b.Village
		}
		return keys[a] < keys[b]
	})
	return out
}

// CurrentStaff is the person's 专干: their own link, else a current
// assignment, else "".
func (p *Person) CurrentStaff() string {
	if p.StaffField != "" {
		return p.StaffField
	}
	for _, as := range p.Assignments {
		if as.Role == "staff" && as.End == 0 {
			return as.Member
		}
	}
	return ""
}
