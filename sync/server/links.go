package server

import (
	"context"
	"slices"

	"rehabdesk/store"
)

// ReasonBadLink refuses a change linking its record to one it may not
// name: whether the target is another person's, another township's, of
// the wrong kind or unknown reads the same, so the refusal tells nothing
// of other townships' ids.
const ReasonBadLink = "bad_link"

// linksInScope: every link a change sets names a record the server holds,
// of a kind the field may name, in the file of the change's own person
// when the target is part of a person's file (an agreement's measure, an
// attachment's event), else of the writing township (a grid, a staff
// member, a volunteer). A link to another person's event would show their
// record in this file; one to another township's volunteer would assign
// them a person they may not see.
func linksInScope(ctx context.Context, tx *ptx, c *store.Change, person string) error {
	for name, target := range c.Fields {
		kinds := linkKinds(c.Kind, name)
		if len(kinds) == 0 || target == "" {
			continue
		}
		e, err := loadEntity(ctx, tx, target)
		if err != nil {
			return err
		}
		if !e.found || !slices.Contains(kinds, e.kind) || !linkable(e, c.Township, person) {
			return rejection(ReasonBadLink)
		}
	}
	return nil
}

// linkKinds are the kinds of record a field links to, none when it is no
// link. The "person" field is checked by authorize with the change's
// person.
func linkKinds(kind store.Kind, name string) []store.Kind {
	f, _ := store.SpecOf(kind).Field(name)
	switch {
	case kind == store.KindAttachment && name == "event":
		return store.EventKinds
	case kind == store.KindAssignment && name == "member":
		return []store.Kind{store.KindStaff, store.KindVolunteer}
	case f.Type == store.TypeRef && name != "person":
		return []store.Kind{f.Ref}
	}
	return nil
}

// linkable: a record of a person's file is linked from that person's file
// only; a township record from its own township only.
func linkable(target entityState, township, person string) bool {
	if store.SpecOf(target.kind).PersonScoped {
		return target.person == person
	}
	return target.township == township
}
