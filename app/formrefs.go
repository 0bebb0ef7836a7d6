package app

import (
	"fyne.io/fyne/v2"

	"rehabdesk/assets"
	"rehabdesk/store"
)

// villageInput picks one of the township's villages and communities.
func villageInput(township string, required bool) *choiceInput {
	var codes, labels []string
	for _, v := range assets.Villages(township) {
		codes = append(codes, v.Code)
		labels = append(labels, v.Name)
	}
	return newChoiceInput(codes, labels, required)
}

// villageSetInput ticks the villages a staff member covers.
func villageSetInput(township string) *setInput {
	var codes, labels []string
	for _, v := range assets.Villages(township) {
		codes, labels = append(codes, v.Code), append(labels, v.Name)
	}
	return newChecksInput(codes, labels)
}

// refInput picks a linked record: a grid, a staff member, a measure of the
// same person, or for assignments a staff member or volunteer.
func (f *recordForm) refInput(fd store.Field) fieldInput {
	var codes, labels []string
	add := func(kind store.Kind, prefix string) {
		filter := store.ListFilter{}
		if store.SpecOf(kind).PersonScoped {
			filter.PersonID = f.fixed["person"]
		}
		recs, err := f.ui.st.List(f.ui.ctx, kind, filter)
		if err != nil {
			fyne.LogError("list "+string(kind), err)
			return
		}
		for _, r := range recs {
			codes = append(codes, r.ID)
			labels = append(labels, prefix+recordTitle(r))
		}
	}
	switch {
	case f.kind == store.KindAssignment:
		add(store.KindVolunteer, T("assign.volunteer_prefix"))
		add(store.KindStaff, T("assign.staff_prefix"))
	case fd.Ref == store.KindMeasure:
		add(store.KindMeasure, "")
	case fd.Ref != "":
		add(fd.Ref, "")
	}
	return newChoiceInput(codes, labels, fd.Required)
}

// recordTitle is a short human name for a record in pickers and lists.
func recordTitle(r *store.Record) string {
	switch r.Kind {
	case store.KindMeasure:
		return enumLabel("measure_type", r.Get("type")) + " " + formatDate(firstNonEmpty(r.Get("start_date"), r.Get("decision_date")))
	case store.KindGrid:
		return assets.Name(r.Get("village")) + " " + r.Get("name")
	}
	if n := r.Get("name"); n != "" {
		return n
	}
	return r.ID[:8]
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
