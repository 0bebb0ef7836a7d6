package store

import (
	"context"
	"encoding/json"
	"fmt"
)

const changeColumns = "seq, hlc, device, kind, entity_id, township, person_id, user_name, payload"

func (s *Store) scanChange(seal *sealer, sc interface{ Scan(...any) error }) (*Change, error) {
	var c Change
	var h string
	var payload []byte
	if err := sc.Scan(&c.Seq, &h, &c.Device, &c.Kind, &c.EntityID, &c.Township, &c.PersonID, &c.User, &payload); err != nil {
		return nil, err
	}
	var err error
	if c.HLC, err = ParseHLC(h); err != nil {
		return nil, err
	}
	plain, err := seal.open(payload, changeAD(c.HLC, c.Device))
	if err != nil {
		return nil, fmt.Errorf("change %d: %w", c.Seq, err)
	}
	var p changePayload
	if err := json.Unmarshal(plain, &p); err != nil {
		return nil, fmt.Errorf("change %d: %w", c.Seq, err)
	}
	c.Fields, c.Bases = p.Fields, p.Bases
	if c.Bases == nil {
		c.Bases = map[string][]string{}
	}
	return &c, nil
}

// queryChanges runs a SELECT over the change log and decodes the rows.
func (s *Store) queryChanges(ctx context.Context, q querier, where string, args ...any) ([]*Change, error) {
	seal, err := s.sealerOrErr()
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, "SELECT "+changeColumns+" FROM changes "+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Change
	for rows.Next() {
		c, err := s.scanChange(seal, rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// History lists every change of a person's file — the person record and all
// records attached to it — in clock order: who changed what, when, where.
func (s *Store) History(ctx context.Context, personID string) ([]*Change, error) {
	if !s.inScope(personID) || s.Session().Role == "volunteer" {
		return nil, ErrForbidden
	}
	if err := s.transferredOr(ctx, personID, nil); err != nil {
		return nil, err
	}
	return s.queryChanges(ctx, s.db, "WHERE person_id = ? OR entity_id = ? ORDER BY hlc, device", personID, personID)
}

// LocalChanges returns up to limit changes made on this device with a log
// sequence above after, in order: what a sync push sends. It is the
// device's outgoing queue, complete for every session: the push cursor is
// the last sequence returned, so a change left out here would never reach
// the county. It holds only what was typed on this device; the GUI must not
// show it (History is the scoped view).
func (s *Store) LocalChanges(ctx context.Context, after int64, limit int) ([]*Change, error) {
	return s.queryChanges(ctx, s.db, "WHERE local = 1 AND seq > ? ORDER BY seq LIMIT ?", after, limit)
}

// CountLocalChanges counts this device's changes above a sequence (pending pushes).
func (s *Store) CountLocalChanges(ctx context.Context, after int64) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM changes WHERE local = 1 AND seq > ?", after).Scan(&n)
	return n, err
}
