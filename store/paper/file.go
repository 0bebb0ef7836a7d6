package paper

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"rehabdesk/assets"
	"rehabdesk/store"
)

// File is one person's file as the papers print it: the person's record,
// their events by kind (oldest first) and the names their codes stand for.
type File struct {
	Person   *store.Record
	Township string                         // the township's name, the issuing body
	Events   map[store.Kind][]*store.Record // the person's records of each kind
	// Names gives the name of each staff member or volunteer the file
	// refers to by record id (the assigned officer, assignments).
	Names map[string]string
}

// fileKinds are the kinds of event a file prints.
var fileKinds = []store.Kind{
	store.KindMeasure, store.KindAgreement, store.KindDrugTest, store.KindVisit, store.KindLeave,
	store.KindViolation, store.KindRisk, store.KindAssistance, store.KindPlacement, store.KindAssignment,
}

// Load reads a person's file from the store, as the signed-in account may
// see it (a volunteer's view lacks what the store hides from volunteers).
func Load(ctx context.Context, st *store.Store, personID string) (*File, error) {
	p, err := st.Get(ctx, personID)
	if err != nil {
		return nil, fmt.Errorf("load file: %w", err)
	}
	if p.Kind != store.KindPerson {
		return nil, fmt.Errorf("load file: record %s is a %s, not a person", personID, p.Kind)
	}
	f := &File{Person: p, Township: assets.Name(p.Township), Events: map[store.Kind][]*store.Record{}, Names: map[string]string{}}
	for _, k := range fileKinds {
		if f.Events[k], err = st.List(ctx, k, store.ListFilter{PersonID: personID}); err != nil {
			return nil, fmt.Errorf("load file %s: %w", k, err)
		}
	}
	return f, f.loadNames(ctx, st)
}

// loadNames looks up the staff and volunteers the file refers to. A member
// this account may not see is left unnamed rather than failing the file.
func (f *File) loadNames(ctx context.Context, st *store.Store) error {
	ids := []string{f.Person.Get("staff")}
	for _, a := range f.Events[store.KindAssignment] {
		ids = append(ids, a.Get("member"))
	}
	for _, id := range ids {
		if id == "" {
			continue
		}
		r, err := st.Get(ctx, id)
		switch {
		case err == nil:
			f.Names[id] = r.Get("name")
		case !errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrForbidden):
			return fmt.Errorf("load file names: %w", err)
		}
	}
	return nil
}

// event finds one of the file's records by id.
func (f *File) event(k store.Kind, id string) (*store.Record, error) {
	for _, r := range f.Events[k] {
		if r.ID == id {
			return r, nil
		}
	}
	return nil, fmt.Errorf("%s %s: %w", k, id, store.ErrNotFound)
}

// byDate returns the file's records of a kind sorted by a date field,
// oldest first (records keep their typing order within a day).
func (f *File) byDate(k store.Kind, field string) []*store.Record {
	rs := append([]*store.Record(nil), f.Events[k]...)
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].Get(field) < rs[j].Get(field) })
	return rs
}

// name is the person's name.
func (f *File) name() string { return f.Person.Get("name") }
