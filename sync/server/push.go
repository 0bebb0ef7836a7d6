package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"rehabdesk/assets"
	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// Reasons a single change is refused; the rest of its page goes on.
const (
	ReasonForeignDevice = "foreign_device" // not written by the pushing device
	// ReasonOutside: the record, or the person it belongs to, is not the
	// device's to write — or does not exist; the two read the same.
	ReasonOutside      = "outside_township"
	ReasonUnknownKind  = "unknown_kind"
	ReasonUnknownField = "unknown_field"
	ReasonBadValue     = "bad_value"
	ReasonBadEntity    = "bad_entity"
	// ReasonBadChange: the change's merge notes (its bases) are malformed,
	// so every device would skip it (store.CheckBases).
	ReasonBadChange = "bad_change"
)

type payload struct {
	Fields map[string]string   `json:"f"`
	Bases  map[string][]string `json:"b,omitempty"`
}

// Push stores one page of a device's own changes in one transaction. A
// change already stored counts as a duplicate: a page repeated after a lost
// reply is acknowledged again and changes nothing. A change that breaks a
// rule is rejected alone and reported.
func (s *Server) Push(ctx context.Context, d *device, changes []*store.Change) (*wire.PushReply, error) {
	if d.County != "" {
		return nil, &wire.Error{Code: wire.CodeReadOnly}
	}
	if len(changes) > wire.MaxPushPage {
		return nil, &wire.Error{Code: wire.CodeTooLarge, Detail: "push page"}
	}
	if err := s.checkClock(d, changes); err != nil {
		return nil, err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	rep := &wire.PushReply{}
	err := s.db.writeTx(ctx, func(tx *ptx) error {
		return s.pushPage(ctx, tx, d, changes, rep)
	})
	if err != nil {
		return nil, err
	}
	if rep.Accepted > 0 {
		s.noteFeed(ctx)
	}
	rep.ServerTime = s.now().UnixMilli()
	s.log.Info("push", "device", d.ID, "township", d.Township, "accepted", rep.Accepted, "duplicate", rep.Duplicate, "rejected", len(rep.Rejected))
	return rep, nil
}

// pushPage stores the changes of one page in tx.
func (s *Server) pushPage(ctx context.Context, tx *ptx, d *device, changes []*store.Change, rep *wire.PushReply) error {
	for i, c := range changes {
		if err := s.pushOne(ctx, tx, d, c, rep); err != nil {
			var rej rejection
			if !errors.As(err, &rej) {
				return err
			}
			rep.Rejected = append(rep.Rejected, wire.Rejection{Index: i, HLC: c.HLC.String(), Entity: c.EntityID, Reason: string(rej)})
		}
	}
	return tx.exec("UPDATE devices SET last_sync = ? WHERE id = ?", s.now().UnixMilli(), d.ID)
}

// rejection is a rule a change broke; it refuses that change only.
type rejection string

func (r rejection) Error() string { return "change rejected: " + string(r) }

func (s *Server) pushOne(ctx context.Context, tx *ptx, d *device, c *store.Change, rep *wire.PushReply) error {
	r, err := s.check(ctx, tx, d, c)
	if err != nil {
		return err
	}
	id, err := s.insertChange(ctx, tx, c)
	if err != nil {
		return err
	}
	if id == 0 {
		rep.Duplicate++
		return nil
	}
	rep.Accepted++
	return s.route(ctx, tx, c, id, r)
}

// check applies the rules a pushed change must meet (see the package doc).
func (s *Server) check(ctx context.Context, tx *ptx, d *device, c *store.Change) (routing, error) {
	switch {
	case c.Device != d.ID:
		return routing{}, rejection(ReasonForeignDevice)
	case store.SpecOf(c.Kind) == nil:
		return routing{}, rejection(ReasonUnknownKind)
	case c.EntityID == "" || len(c.EntityID) > 64 || len(c.PersonID) > 64 || len(c.User) > 100,
		!storableText(c.EntityID, c.PersonID, c.User):
		return routing{}, rejection(ReasonBadEntity)
	}
	if err := checkFields(c, s.now()); err != nil {
		return routing{}, err
	}
	if store.CheckBases(c) != nil {
		return routing{}, rejection(ReasonBadChange)
	}
	if d.Volunteer != "" {
		return s.checkVolunteer(ctx, tx, d, c)
	}
	return s.authorize(ctx, tx, d, c)
}

// storableText reports whether strings can go into a text column of both
// backends: PostgreSQL's text refuses NUL characters (and invalid UTF-8),
// and one would fail the whole page there instead of the one change.
func storableText(ss ...string) bool {
	for _, s := range ss {
		if strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s) {
			return false
		}
	}
	return true
}

// checkFields refuses unknown fields and values the store would not have
// stored (store.CheckValue: the field table every device validates with);
// today bounds the birth date of an ID number.
func checkFields(c *store.Change, today time.Time) error {
	if len(c.Fields) == 0 {
		return rejection(ReasonUnknownField)
	}
	spec := store.SpecOf(c.Kind)
	for name, v := range c.Fields {
		if _, ok := spec.Field(name); !ok && name != store.FieldArchived && name != store.FieldTownship {
			return rejection(ReasonUnknownField)
		}
		if len(v) > wire.MaxValueBytes || !storableText(v) || !reservedValueOK(name, v) ||
			store.CheckValue(c.Kind, name, v, today) != nil {
			return rejection(ReasonBadValue)
		}
	}
	return nil
}

// reservedValueOK checks the reserved fields: "_archived" is "1" or "",
// "_township" a township code (devices skip a change clearing it).
func reservedValueOK(name, v string) bool {
	switch name {
	case store.FieldArchived:
		return v == "" || v == "1"
	case store.FieldTownship:
		return assets.CountyOf(v) != ""
	}
	return true
}

// routeKey is the record whose township decides where a change goes: the
// person for anything in a person's file, else the record itself.
func routeKey(c *store.Change) string {
	if c.PersonID != "" {
		return c.PersonID
	}
	return c.EntityID
}

// insertChange stores a change once; it returns 0 when it was already there.
func (s *Server) insertChange(ctx context.Context, tx *ptx, c *store.Change) (int64, error) {
	plain, err := json.Marshal(payload{Fields: c.Fields, Bases: c.Bases})
	if err != nil {
		return 0, err
	}
	now := s.now().UnixMilli()
	body := s.seal.seal(plain, changeAD(c.HLC.String(), c.Device))
	var id int64
	err = tx.queryRow(`INSERT INTO changes(hlc, device, kind, entity_id, person_id, township, user_name, payload, received_at)
		VALUES(?,?,?,?,?,?,?,?,?) ON CONFLICT(hlc, device) DO NOTHING RETURNING id`,
		c.HLC.String(), c.Device, string(c.Kind), c.EntityID, c.PersonID, c.Township, c.User, body, now).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store change: %w", err)
	}
	return id, nil
}
