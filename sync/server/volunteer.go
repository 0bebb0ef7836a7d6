package server

import (
	"context"
	"database/sql"
	"errors"

	"rehabdesk/store"
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
	for _, v := range vols {
		if err := feedOne(ctx, tx, volunteerFeed(v), id); err != nil {
			return err
		}
	}
	return err
}

func feedOne(ctx context.Context, tx *ptx, feed string, id int64) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO feed(township, change_id) VALUES(?, ?) ON CONFLICT DO NOTHING", feed, id)
	return err
}

func assignedVolunteers(ctx context.Context, tx *ptx, person string) ([]string, error) {
	return queryStrings(ctx, tx.tx, "SELECT DISTINCT volunteer FROM volunteer_assignments WHERE person_id = ? AND active = 1", person)
}

// updateAssignment recomputes one assignment from its merged fields; an
// assignment that becomes active brings the person's history to the
// volunteer's feed.
func (s *Server) updateAssignment(ctx context.Context, tx *ptx, id string) error {
	f, err := s.entityFields(ctx, tx, id)
	if err != nil {
		return err
	}
	active := f["role"] == "volunteer" && f["member"] != "" && f["person"] != "" && f[store.FieldArchived] != "1"
	var was int
	err = tx.QueryRowContext(ctx, "SELECT active FROM volunteer_assignments WHERE assignment = ?", id).Scan(&was)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO volunteer_assignments(assignment, person_id, volunteer, active) VALUES(?,?,?,?)
		ON CONFLICT(assignment) DO UPDATE SET person_id = excluded.person_id, volunteer = excluded.volunteer, active = excluded.active`,
		id, f["person"], f["member"], active)
	if err != nil || !active || was == 1 {
		return err
	}
	return feedHistory(ctx, tx, volunteerFeed(f["member"]), f["person"])
}

// entityFields reads a record's merged fields, opened.
func (s *Server) entityFields(ctx context.Context, tx *ptx, id string) (map[string]string, error) {
	rows, err := tx.tx.QueryContext(ctx, "SELECT field, value FROM fields WHERE entity_id = ?", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var field string
		var raw []byte
		if err := rows.Scan(&field, &raw); err != nil {
			return nil, err
		}
		if out[field], err = s.fieldValue(id, field, raw); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}

// checkVolunteer lets a volunteer device push only visits of its persons.
func checkVolunteer(ctx context.Context, tx *ptx, d *device, c *store.Change) error {
	if c.Kind != store.KindVisit || c.PersonID == "" {
		return rejection(ReasonNotAssigned)
	}
	var n int
	err := tx.QueryRowContext(ctx, "SELECT count(*) FROM volunteer_assignments WHERE person_id = ? AND volunteer = ? AND active = 1",
		c.PersonID, d.Volunteer).Scan(&n)
	if err == nil && n == 0 {
		return rejection(ReasonNotAssigned)
	}
	return err
}

// redactForVolunteer drops what a volunteer may not see from a pulled
// change; nil means the change is left out.
func redactForVolunteer(c *store.Change) *store.Change {
	spec := store.SpecOf(c.Kind)
	if spec == nil || c.Kind == store.KindViolation || c.Kind == store.KindAccount {
		return nil
	}
	for _, f := range spec.Fields {
		if f.Sensitive {
			delete(c.Fields, f.Name)
			delete(c.Bases, f.Name)
		}
	}
	if len(c.Fields) == 0 {
		return nil
	}
	return c
}
