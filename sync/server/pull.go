package server

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// Pull returns up to limit changes of the device's scope after cursor, in
// feed order, leaving out the device's own (it has them), and ends the page
// early past wire.MaxPullBytes of payloads. Next is where the next pull
// starts: past the device's own changes too, so they are never sent back,
// not even as empty pages.
func (s *Server) Pull(ctx context.Context, d *device, cursor int64, limit int) ([]*store.Change, *wire.PullReply, error) {
	return s.pull(ctx, d, cursor, limit, wire.MaxPullBytes)
}

// pull is Pull ending the page past maxPlain bytes of payloads.
func (s *Server) pull(ctx context.Context, d *device, cursor int64, limit, maxPlain int) ([]*store.Change, *wire.PullReply, error) {
	maxPlain = min(max(maxPlain, 1), wire.MaxPullBytes)
	if limit <= 0 || limit > wire.MaxPullPage {
		limit = wire.MaxPullPage
	}
	scope, err := s.scope(ctx, d)
	if err != nil {
		return nil, nil, err
	}
	in := "f.township IN (" + placeholders(len(scope)) + ")"
	// Feed entries up to top are all committed (one writer, sequence order),
	// so "nothing more up to top" is a safe place for the cursor.
	var top int64
	if err := s.db.QueryRowContext(ctx, "SELECT coalesce(max(seq), 0) FROM feed f WHERE "+in, anys(scope)...).Scan(&top); err != nil {
		return nil, nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT f.seq, c.id, c.hlc, c.device, c.kind, c.entity_id, c.person_id, c.township, c.user_name, c.payload
		FROM feed f JOIN changes c ON c.id = f.change_id
		WHERE `+in+` AND f.seq > ? AND f.seq <= ? AND (c.device <> ? OR `+refedOwn+`) ORDER BY f.seq LIMIT ?`,
		append(anys(scope), cursor, top, d.ID, d.Volunteer, limit)...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	rep := &wire.PullReply{Next: cursor}
	var out []*store.Change
	seen := map[int64]bool{} // a county device may meet a change in two feeds
	n, size := 0, 0
	for size < maxPlain && rows.Next() {
		n++
		c, id, payloadLen, err := s.scanChange(rows, &rep.Next)
		if err != nil {
			return nil, nil, err
		}
		size += payloadLen
		if d.Volunteer != "" {
			c = redactForVolunteer(c)
		}
		if c != nil && !seen[id] {
			out = append(out, c)
		}
		seen[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rep.More = n == limit || size >= maxPlain
	if !rep.More {
		rep.Next = max(top, cursor)
		if d.Volunteer == "" {
			if rep.County, err = s.countyFigures(ctx, d); err != nil {
				return nil, nil, err
			}
		}
	}
	if rep.Mark, err = feedMark(ctx, s.db, s.seal.key, rep.Next); err != nil {
		return nil, nil, err
	}
	// The epoch is read again: another server on the same PostgreSQL
	// database may have started a new one.
	g, _, err := s.storedGeneration(ctx)
	if err != nil {
		return nil, nil, err
	}
	s.setGen(g)
	rep.Server, rep.Epoch = g.ID, g.Epoch
	rep.ServerTime = s.now().UnixMilli()
	return out, rep, nil
}

// refedOwn selects, among a device's own changes, those fed to its
// township again after another township's feed had them: the file of a
// person transferred back, which the device erased when the person left
// (store.PurgeTransferred) and needs whole again. Only persons who have
// belonged to another township can qualify: one probe of person_townships
// settles most rows, and the unique index on feed(township, change_id)
// answers the rest a township at a time. Volunteer devices (whose feed is
// not a township) never need it.
const refedOwn = `(CAST(? AS TEXT) = '' AND EXISTS (SELECT 1 FROM person_townships pt WHERE pt.person_id = c.person_id AND pt.township <> f.township)
	AND EXISTS (SELECT 1 FROM feed f2 WHERE f2.township IN (SELECT code FROM townships)
	AND f2.change_id = f.change_id AND f2.township <> f.township AND f2.seq < f.seq))`

// scanChange reads and opens one change; size is its payload's length.
func (s *Server) scanChange(rows interface{ Scan(...any) error }, seq *int64) (c *store.Change, id int64, size int, err error) {
	c = &store.Change{}
	var h string
	var body []byte
	if err := rows.Scan(seq, &id, &h, &c.Device, &c.Kind, &c.EntityID, &c.PersonID, &c.Township, &c.User, &body); err != nil {
		return nil, 0, 0, err
	}
	if c.HLC, err = store.ParseHLC(h); err != nil {
		return nil, 0, 0, fmt.Errorf("change %d: %w", id, err)
	}
	plain, err := s.seal.open(body, changeAD(h, c.Device))
	if err != nil {
		return nil, 0, 0, fmt.Errorf("change %d: %w", id, err)
	}
	var p payload
	if err := json.Unmarshal(plain, &p); err != nil {
		return nil, 0, 0, fmt.Errorf("change %d: %w", id, err)
	}
	c.Fields, c.Bases = p.Fields, p.Bases
	return c, id, len(plain), nil
}

// Pending counts the changes waiting for a device after its cursor.
func (s *Server) Pending(ctx context.Context, d *device, cursor int64) (int, error) {
	scope, err := s.scope(ctx, d)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.db.QueryRowContext(ctx, `SELECT count(DISTINCT c.id) FROM feed f JOIN changes c ON c.id = f.change_id
		WHERE f.township IN (`+placeholders(len(scope))+`) AND f.seq > ? AND c.device <> ?`,
		append(anys(scope), cursor, d.ID)...).Scan(&n)
	return n, err
}

func placeholders(n int) string {
	if n == 0 {
		return "NULL"
	}
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
