package server

import (
	"context"
	"database/sql"
	"errors"

	"rehabdesk/store"
)

// route merges a newly stored change into the server's state and adds it to
// the feeds of the township its record belonged to before and after it, and
// of the township the device stamped on it (so the old township's devices
// see a transfer happen, record by record). When the change moved a person
// to another township, the person's whole history joins the new township's
// feed.
func (s *Server) route(ctx context.Context, tx *ptx, c *store.Change, id int64, r routing) error {
	key := routeKey(c)
	before := r.state.township
	if r.key != key { // never, as authorize is written: then read it
		var err error
		if before, err = townshipOf(ctx, tx, key); err != nil {
			return err
		}
	}
	if err := s.materialize(ctx, tx, c); err != nil {
		return err
	}
	if err := noteBlobRef(ctx, tx, c); err != nil {
		return err
	}
	after, err := s.settleTownship(ctx, tx, c, key, before)
	if err != nil {
		return err
	}
	for i, t := range []string{before, after, c.Township} {
		if t != "" && (i < 1 || t != before) && (i < 2 || t != after) {
			if err := tx.exec("INSERT INTO feed(township, change_id) VALUES(?, ?) ON CONFLICT DO NOTHING", t, id); err != nil {
				return err
			}
		}
	}
	if before != "" && after != before {
		s.log.Info("person transferred", "from", before, "to", after)
		if err := s.noteDeparture(ctx, tx, key, before, id); err != nil {
			return err
		}
		if err := refeedHistory(ctx, tx, after, key, id); err != nil {
			return err
		}
		if err := s.updatePersonAssignments(ctx, tx, key); err != nil {
			return err
		}
	}
	return s.routeVolunteers(ctx, tx, c, key, id)
}

// townshipOf is a record's township on the server, "" when unknown.
func townshipOf(ctx context.Context, tx *ptx, id string) (string, error) {
	var t string
	err := tx.queryRow("SELECT township FROM entities WHERE id = ?", id).Scan(&t)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return t, err
}

// materialize applies the merge rule every device applies: per field, the
// value with the highest version wins. Versions are fixed-width text, so
// SQL text comparison is version order.
func (s *Server) materialize(ctx context.Context, tx *ptx, c *store.Change) error {
	err := tx.exec(`INSERT INTO entities(id, kind, person_id, township) VALUES(?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET person_id = CASE WHEN entities.person_id = '' THEN excluded.person_id ELSE entities.person_id END`,
		c.EntityID, string(c.Kind), c.PersonID, c.Township)
	if err != nil {
		return err
	}
	v := c.Version().String()
	for f, val := range c.Fields {
		if f == "person" && c.Kind != store.KindPerson {
			err = s.mergePersonLink(tx, c, v)
		} else {
			err = tx.exec(mergeField, c.EntityID, f, s.storedValue(c.EntityID, f, val), v)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// mergeField stores a field's value unless a newer version is stored.
const mergeField = `INSERT INTO fields(entity_id, field, value, version) VALUES(?,?,?,?)
	ON CONFLICT(entity_id, field) DO UPDATE SET value = excluded.value, version = excluded.version
	WHERE excluded.version > fields.version`

// storedValue is a field's value as stored: bytes on both engines, sealed
// unless the field is clear.
func (s *Server) storedValue(entity, field, val string) []byte {
	if clearField(field) {
		return []byte(val)
	}
	return s.seal.seal([]byte(val), fieldAD(entity, field))
}

// mergePersonLink merges a record's "person" field; when its value wins,
// the record is re-linked to that person (combined files), so that the
// stored person is the merged one whatever order re-links arrive in.
func (s *Server) mergePersonLink(tx *ptx, c *store.Change, v string) error {
	var won int
	err := tx.queryRow(mergeField+" RETURNING 1", c.EntityID, "person", s.storedValue(c.EntityID, "person", c.Fields["person"]), v).Scan(&won)
	switch {
	case errors.Is(err, sql.ErrNoRows) || c.Fields["person"] == "":
		return nil
	case err != nil:
		return err
	}
	return tx.exec("UPDATE entities SET person_id = ? WHERE id = ?", c.Fields["person"], c.EntityID)
}

// settleTownship computes and records the township of the routing record
// after the change: its winning "_township" value if any, else what it was,
// else what the device stamped.
func (s *Server) settleTownship(ctx context.Context, tx *ptx, c *store.Change, key, before string) (string, error) {
	var moved []byte // a clear field, stored as bytes like every value
	err := tx.queryRow("SELECT value FROM fields WHERE entity_id = ? AND field = ?", key, store.FieldTownship).Scan(&moved)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	after := firstNonEmpty(string(moved), before, c.Township)
	if err := tx.exec("UPDATE entities SET township = ? WHERE id = ?", after, key); err != nil {
		return "", err
	}
	if key == c.EntityID && c.Kind != store.KindPerson {
		return after, nil
	}
	err = tx.exec("INSERT INTO person_townships(person_id, township) VALUES(?, ?) ON CONFLICT DO NOTHING", key, after)
	return after, err
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// refeedHistory adds every change of a person's file to the feed of the
// township they moved to, after the transfer change: again where some were
// in it already, because a township's devices erase the file of a person
// who leaves it (store.PurgeTransferred) and need it whole if they return.
func refeedHistory(ctx context.Context, tx *ptx, township, person string, transfer int64) error {
	err := tx.exec(`DELETE FROM feed WHERE township = ? AND change_id <> ?
		AND change_id IN (SELECT id FROM changes WHERE person_id = ? OR entity_id = ?)`, township, transfer, person, person)
	if err != nil {
		return err
	}
	return feedHistory(ctx, tx, township, person)
}

// feedHistory adds every change of a person's file to a township's feed,
// oldest first, skipping those already in it.
func feedHistory(ctx context.Context, tx *ptx, township, person string) error {
	err := tx.exec(`INSERT INTO feed(township, change_id)
		SELECT CAST(? AS TEXT), id FROM changes WHERE person_id = ? OR entity_id = ? ORDER BY id
		ON CONFLICT DO NOTHING`, township, person, person)
	return err
}
