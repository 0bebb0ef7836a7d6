package server

import (
	"context"
	"database/sql"
	"errors"

	"rehabdesk/store"
	"rehabdesk/store/valid"
)

// Volunteer devices (issue 6: a volunteer sees only the persons assigned to
// them, filtered on the server, not just hidden by the GUI). Each volunteer
// has a feed of its own, "v:<volunteer id>", fed with the changes of every
// person actively assigned to them — the whole history when an assignment
// starts — and with their own volunteer record. Pulls from that feed leave
// out violations, accounts and every field marked Sensitive.

// ReasonNotAssigned refuses a volunteer device's change to anything but a
// visit of a person assigned to it.
const ReasonNotAssigned = "not_assigned"

func volunteerFeed(volunteer string) string { return "v:" + volunteer }

// routeVolunteers adds a stored change to the feeds of the volunteers it
// concerns, after the township routing.
func (s *Server) routeVolunteers(ctx context.Context, tx *ptx, c *store.Change, key string, id int64) error {
	switch c.Kind {
	case store.KindAssignment:
		if err := s.updateAssignment(ctx, tx, c.EntityID); err != nil {
			return err
		}
	case store.KindVolunteer:
		return feedOne(ctx, tx, volunteerFeed(c.EntityID), id)
	}
	if key == c.EntityID && c.Kind != store.KindPerson {
		return nil
	}
	vols, err := assignedVolunteers(ctx, tx, key)
	_, relinks := c.Fields["person"]
	for _, v := range vols {
		if relinks && c.Kind != store.KindPerson {
			err = feedRecordHistory(ctx, tx, volunteerFeed(v), c.EntityID)
		} else {
			err = feedOne(ctx, tx, volunteerFeed(v), id)
		}
		if err != nil {
			return err
		}
	}
	return err
}

// feedRecordHistory adds every change of one record to a feed: a record
// re-linked to a person (combined files) reaches their volunteers whole.
func feedRecordHistory(ctx context.Context, tx *ptx, feed, entity string) error {
	return tx.exec(`INSERT INTO feed(township, change_id) SELECT CAST(? AS TEXT), id FROM changes WHERE entity_id = ? ORDER BY id
		ON CONFLICT DO NOTHING`, feed, entity)
}

func feedOne(ctx context.Context, tx *ptx, feed string, id int64) error {
	err := tx.exec("INSERT INTO feed(township, change_id) VALUES(?, ?) ON CONFLICT DO NOTHING", feed, id)
	return err
}

// updatePersonAssignments recomputes every assignment of a person, after
// the person changed township.
func (s *Server) updatePersonAssignments(ctx context.Context, tx *ptx, person string) error {
	ids, err := tx.strings("SELECT assignment FROM volunteer_assignments WHERE person_id = ?", person)
	for _, id := range ids {
		if err := s.updateAssignment(ctx, tx, id); err != nil {
			return err
		}
	}
	return err
}

func assignedVolunteers(ctx context.Context, tx *ptx, person string) ([]string, error) {
	return tx.strings("SELECT DISTINCT volunteer FROM volunteer_assignments WHERE person_id = ? AND active = 1", person)
}

// updateAssignment recomputes one assignment from its merged fields and
// the server's own records: the person is the one the assignment record is
// stored under, and the volunteer must be a volunteer record of that
// person's township now (an assignment left behind by a transfer, or naming
// another township's volunteer, feeds nobody). An assignment that becomes
// active brings the person's history to the volunteer's feed.
func (s *Server) updateAssignment(ctx context.Context, tx *ptx, id string) error {
	f, err := s.entityFields(ctx, tx, id)
	if err != nil {
		return err
	}
	asg, err := loadEntity(ctx, tx, id)
	if err != nil {
		return err
	}
	f["person"] = asg.person
	person, err := loadEntity(ctx, tx, asg.person)
	if err != nil {
		return err
	}
	member, err := loadEntity(ctx, tx, f["member"])
	if err != nil {
		return err
	}
	active := f["role"] == "volunteer" && f["member"] != "" && f["person"] != "" && f[store.FieldArchived] != "1" &&
		member.kind == store.KindVolunteer && person.found && member.township == person.township
	var was int
	err = tx.queryRow("SELECT active FROM volunteer_assignments WHERE assignment = ?", id).Scan(&was)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	err = tx.exec(`INSERT INTO volunteer_assignments(assignment, person_id, volunteer, active) VALUES(?,?,?,?)
		ON CONFLICT(assignment) DO UPDATE SET person_id = excluded.person_id, volunteer = excluded.volunteer, active = excluded.active`,
		id, f["person"], f["member"], boolInt(active))
	if err != nil || !active || was == 1 {
		return err
	}
	return feedHistory(ctx, tx, volunteerFeed(f["member"]), f["person"])
}

// boolInt is a flag as the integer column stores it (PostgreSQL takes no
// bool for a BIGINT).
func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// entityFields reads a record's merged fields, opened.
func (s *Server) entityFields(ctx context.Context, tx *ptx, id string) (map[string]string, error) {
	out := map[string]string{}
	err := tx.each("SELECT field, value FROM fields WHERE entity_id = ?", []any{id}, func(scan func(...any) error) error {
		var field string
		var raw []byte
		if err := scan(&field, &raw); err != nil {
			return err
		}
		value, err := s.fieldValue(id, field, raw)
		out[field] = value
		return err
	})
	return out, err
}

// checkVolunteer lets a volunteer device push only visits of persons
// actively assigned to its volunteer, checked on the server's own records:
// the visit's stored person, not the one the change names, decides. Every
// refusal reads "not assigned", whether the person exists or not.
func (s *Server) checkVolunteer(ctx context.Context, tx *ptx, d *device, c *store.Change) (routing, error) {
	if _, moves := c.Fields[store.FieldTownship]; c.Kind != store.KindVisit || moves {
		return routing{}, rejection(ReasonNotAssigned)
	}
	var n int
	err := tx.queryRow("SELECT count(*) FROM volunteer_assignments WHERE person_id = ? AND volunteer = ? AND active = 1",
		c.PersonID, d.Volunteer).Scan(&n)
	switch {
	case err != nil:
		return routing{}, err
	case n == 0:
		return routing{}, rejection(ReasonNotAssigned)
	}
	r, err := s.authorize(ctx, tx, d, c)
	var rej rejection
	if errors.As(err, &rej) {
		return routing{}, rejection(ReasonNotAssigned)
	}
	return r, err
}

// redactForVolunteer drops what a volunteer may not see from a pulled
// change; nil means the change is left out. A volunteer holds ID numbers
// masked (first 4 and last 4 characters, as the GUI shows them to
// everyone) and no birth date, which with the masked number and the
// township would give most of the number back.
func redactForVolunteer(c *store.Change) *store.Change {
	spec := store.SpecOf(c.Kind)
	if spec == nil || c.Kind == store.KindViolation || c.Kind == store.KindAccount {
		return nil
	}
	for _, f := range spec.Fields {
		switch {
		case f.Sensitive || f.Name == "birth_date":
			delete(c.Fields, f.Name)
			delete(c.Bases, f.Name)
		case f.Type == store.TypeIDNumber && c.Fields[f.Name] != "":
			c.Fields[f.Name] = valid.MaskID(c.Fields[f.Name])
		}
	}
	if len(c.Fields) == 0 {
		return nil
	}
	return c
}
