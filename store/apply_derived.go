package store

// derivedFrom lists, per kind, the derived fields each typed field
// determines (see Store.derive).
var derivedFrom = map[Kind]map[string][]string{
	KindPerson:  {"id_number": {"birth_date", "sex"}},
	KindMeasure: {"received_date": {"report_due"}},
}

// withDerived adds to an edit's changed fields the derived fields of every
// source field it changes, unchanged or not. Derived fields then merge with
// their source: of two concurrent ID-number edits, the winner's birth date
// and sex win too, instead of a mix of both edits.
func withDerived(kind Kind, changed, merged map[string]string) map[string]string {
	for src, ds := range derivedFrom[kind] {
		if _, ok := changed[src]; !ok {
			continue
		}
		for _, d := range ds {
			changed[d] = merged[d]
		}
	}
	return changed
}
