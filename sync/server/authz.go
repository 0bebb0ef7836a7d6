package server

import (
	"context"
	"database/sql"
	"errors"

	"rehabdesk/store"
)

// Authorization of pushed changes (the rules are listed in doc.go). Every
// rule is checked against the server's own state of the record and of its
// person; what the change claims (its PersonID, its "person" field, its
// township stamp) must agree with that state, or the change is refused.
// Refusals that depend on another township's records all read "outside
// township", whether the record exists or not.

// entityState is the server's state of one record.
type entityState struct {
	found    bool
	kind     store.Kind
	person   string // stored person link ("" for township records)
	township string
}

func loadEntity(ctx context.Context, tx *ptx, id string) (entityState, error) {
	var e entityState
	var kind string
	err := tx.queryRow("SELECT kind, person_id, township FROM entities WHERE id = ?", id).Scan(&kind, &e.person, &e.township)
	if errors.Is(err, sql.ErrNoRows) {
		return e, nil
	}
	e.found, e.kind = err == nil, store.Kind(kind)
	return e, err
}

// personOf is the person whose file a change belongs to, "" for township
// records (staff, volunteers, accounts, grids, settings). The change's own
// claims must agree with each other and with the stored record.
func personOf(c *store.Change, e entityState) (string, error) {
	spec := store.SpecOf(c.Kind)
	var p string
	switch {
	case c.Kind == store.KindPerson:
		if c.PersonID != "" && c.PersonID != c.EntityID {
			return "", rejection(ReasonOutside)
		}
		p = c.EntityID
	case spec.PersonScoped:
		if f, ok := c.Fields["person"]; c.PersonID == "" || ok && f != c.PersonID {
			return "", rejection(ReasonOutside)
		}
		p = c.PersonID
	case c.PersonID != "":
		return "", rejection(ReasonOutside)
	}
	if e.found && e.kind != c.Kind {
		return "", rejection(ReasonOutside)
	}
	return p, nil
}

// relinkInScope: a change naming another person than the record's stored
// one re-links the record (combining two files of one person,
// store.CombinePersons, moves the dropped file's records to the kept
// person), or was written before such a re-link arrived. Both persons must
// be of the device's township now; a volunteer never re-links.
func relinkInScope(ctx context.Context, tx *ptx, d *device, stored, named string) error {
	if d.Volunteer != "" {
		return rejection(ReasonOutside)
	}
	for _, id := range []string{stored, named} {
		p, err := loadEntity(ctx, tx, id)
		if err != nil {
			return err
		}
		if !p.found || p.kind != store.KindPerson || p.township != d.Township {
			return rejection(ReasonOutside)
		}
	}
	return nil
}

// routing is the state authorize read of the record whose township
// decides where a change goes (routeKey), so that routing need not read it
// again.
type routing struct {
	key   string
	state entityState
}

// authorize refuses a change the device may not make (see doc.go).
func (s *Server) authorize(ctx context.Context, tx *ptx, d *device, c *store.Change) (routing, error) {
	if c.Township != d.Township {
		return routing{}, rejection(ReasonOutside)
	}
	e, err := loadEntity(ctx, tx, c.EntityID)
	if err != nil {
		return routing{}, err
	}
	p, err := personOf(c, e)
	if err != nil {
		return routing{}, err
	}
	if e.found && p != "" && c.Kind != store.KindPerson && e.person != p {
		if err := relinkInScope(ctx, tx, d, e.person, p); err != nil {
			return routing{}, err
		}
	}
	r := routing{key: c.EntityID, state: e}
	if p == "" {
		err = townshipRecordInScope(d, c, e)
	} else {
		r.key = p
		r.state, err = s.personFileInScope(ctx, tx, d, c, e, p)
	}
	if err != nil {
		return routing{}, err
	}
	return r, linksInScope(ctx, tx, c, p)
}

// townshipRecordInScope: a township's own records stay in it.
func townshipRecordInScope(d *device, c *store.Change, e entityState) error {
	if e.found && e.township != d.Township {
		return rejection(ReasonOutside)
	}
	if t, ok := c.Fields[store.FieldTownship]; ok && t != d.Township {
		return rejection(ReasonOutside)
	}
	return nil
}

// personFileInScope: a device writes into the file of a person of its
// township, or of one its township transferred away (edits made before it
// learnt of the transfer are kept: lateEditInTime), and moves only its own
// persons.
func (s *Server) personFileInScope(ctx context.Context, tx *ptx, d *device, c *store.Change, e entityState, p string) (entityState, error) {
	person, err := e, error(nil)
	if p != c.EntityID { // a person's own change: e is the person
		if person, err = loadEntity(ctx, tx, p); err != nil {
			return person, err
		}
	}
	newPerson := c.Kind == store.KindPerson && !person.found
	switch {
	case newPerson:
		return person, townshipRecordInScope(d, c, e)
	case !person.found || person.kind != store.KindPerson:
		return person, rejection(ReasonOutside)
	}
	t, moves := c.Fields[store.FieldTownship]
	if person.township == d.Township {
		// A person's own change may move them out; their records then
		// follow the person's new township, and nowhere else.
		if moves && c.Kind != store.KindPerson && t != person.township {
			return person, rejection(ReasonOutside)
		}
		if moves && t != "" && t != person.township {
			return person, movedToServed(ctx, tx, t)
		}
		return person, nil
	}
	dep, err := loadDeparture(ctx, tx, p, d.Township)
	switch {
	case err != nil:
		return person, err
	case !dep.belonged:
		return person, rejection(ReasonOutside)
	}
	if moves && (c.Kind == store.KindPerson || t != person.township) {
		return person, rejection(ReasonOutside) // no taking a person back
	}
	return person, s.lateEditInTime(ctx, tx, d, c, dep)
}

// movedToServed refuses moving a person to a township this server does
// not serve: no device would receive the file there, while the township
// it leaves erases it (store.PurgeTransferred).
func movedToServed(ctx context.Context, tx *ptx, township string) error {
	var n int
	if err := tx.queryRow("SELECT count(*) FROM townships WHERE code = ?", township).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return rejection(ReasonOutside)
	}
	return nil
}
