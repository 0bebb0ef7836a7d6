package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"rehabdesk/store/valid"
)

// Reserved field names, versioned and merged like any other field.
const (
	FieldArchived = "_archived" // "1" when the record is archived (soft-deleted)
	FieldTownship = "_township" // the township a record belongs to; changes on transfer
)

// ErrNotFound means no record has that id (or the session may not see it).
var ErrNotFound = errors.New("record not found")

// ErrForbidden means the signed-in account may not do this.
var ErrForbidden = errors.New("not allowed for this account")

// Record is one domain record with its field values as text.
type Record struct {
	Kind     Kind
	ID       string
	Township string
	PersonID string
	Archived bool
	Created  time.Time
	Updated  time.Time
	Fields   map[string]string
	Versions map[string]string // field -> Version.String() of its current value
}

// Get returns a field value ("" when unset).
func (r *Record) Get(field string) string { return r.Fields[field] }

const recordColumns = "kind, id, township, person_id, archived, created_at, updated_at, versions, data"

func (s *Store) scanRecord(seal *sealer, sc interface{ Scan(...any) error }) (*Record, error) {
	var r Record
	var created, updated int64
	var versions string
	var data []byte
	if err := sc.Scan(&r.Kind, &r.ID, &r.Township, &r.PersonID, &r.Archived, &created, &updated, &versions, &data); err != nil {
		return nil, err
	}
	r.Created, r.Updated = time.UnixMilli(created), time.UnixMilli(updated)
	plain, err := seal.open(data, recordAD(r.ID))
	if err != nil {
		return nil, fmt.Errorf("record %s: %w", r.ID, err)
	}
	if err := json.Unmarshal(plain, &r.Fields); err != nil {
		return nil, fmt.Errorf("record %s: %w", r.ID, err)
	}
	if r.Versions, err = decodeVersions(versions); err != nil {
		return nil, fmt.Errorf("record %s versions: %w", r.ID, err)
	}
	return &r, nil
}

func recordAD(id string) []byte {
	return append(append(make([]byte, 0, 7+len(id)), "record:"...), id...)
}

// getRecord reads one record, archived or not, ignoring the session's scope.
func (s *Store) getRecord(ctx context.Context, q querier, id string) (*Record, error) {
	seal, err := s.sealerOrErr()
	if err != nil {
		return nil, err
	}
	row := q.QueryRowContext(ctx, "SELECT "+recordColumns+" FROM records WHERE id = ?", id)
	r, err := s.scanRecord(seal, row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return r, err
}

// Get returns one record the session may see. A person transferred to a
// township this device does not serve gives a *TransferredError.
func (s *Store) Get(ctx context.Context, id string) (*Record, error) {
	r, err := s.getRecord(ctx, s.db, id)
	if errors.Is(err, ErrNotFound) {
		return nil, s.transferredOr(ctx, id, err) // erased after the transfer
	}
	if err != nil {
		return nil, err
	}
	if !s.mayRead(r) {
		return nil, s.hiddenWhy(ctx, r)
	}
	return s.redact(r), nil
}

// ListFilter selects records of one kind.
type ListFilter struct {
	PersonID        string // only this person's records ("" = all)
	IncludeArchived bool
}

// List returns the records of a kind the session may see, oldest first.
func (s *Store) List(ctx context.Context, kind Kind, f ListFilter) ([]*Record, error) {
	seal, err := s.sealerOrErr()
	if err != nil {
		return nil, err
	}
	query := "SELECT " + recordColumns + " FROM records WHERE kind = ?"
	args := []any{string(kind)}
	if f.PersonID != "" {
		query += " AND person_id = ?"
		args = append(args, f.PersonID)
	}
	if !f.IncludeArchived {
		query += " AND archived = 0"
	}
	rows, err := s.db.QueryContext(ctx, query+" ORDER BY created_at, id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Record
	for rows.Next() {
		r, err := s.scanRecord(seal, rows)
		if err != nil {
			return nil, err
		}
		if s.mayRead(r) {
			out = append(out, s.redact(r))
		}
	}
	return out, rows.Err()
}

// listAll reads every live record of a kind, without scope (for the store's
// own bookkeeping such as accounts and the search index).
func (s *Store) listAll(ctx context.Context, kind Kind) ([]*Record, error) {
	return s.queryRecords(ctx, "SELECT "+recordColumns+" FROM records WHERE kind = ? AND archived = 0", string(kind))
}

// inScope reports whether the session may see a person.
func (s *Store) inScope(personID string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.scope == nil || s.scope[personID]
}

// mayRead hides the files of persons transferred away (transfer_away.go)
// and applies the volunteer scope.
func (s *Store) mayRead(r *Record) bool {
	return !s.awayNow().has(recordPerson(r)) && s.mayReadScoped(r)
}

// mayReadScoped applies the volunteer scope: volunteers see only their
// persons and those persons' records, and no accounts of others.
func (s *Store) mayReadScoped(r *Record) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.scope == nil {
		return true
	}
	switch {
	case r.Kind == KindViolation, r.Kind == KindAttachment:
		return false // violations and scanned documents are for officers only
	case r.Kind == KindPerson:
		return s.scope[r.ID]
	case SpecOf(r.Kind) != nil && SpecOf(r.Kind).PersonScoped:
		return s.scope[r.PersonID]
	case r.Kind == KindVolunteer:
		return r.ID == s.session.Volunteer
	case r.Kind == KindAccount:
		return r.Fields["username"] == s.session.User
	}
	return true
}

// redact hides from volunteers what a visit does not need: sensitive fields
// and the full ID number.
func (s *Store) redact(r *Record) *Record {
	if s.Session().Role != "volunteer" {
		return r
	}
	spec := SpecOf(r.Kind)
	for _, f := range spec.Fields {
		if f.Sensitive {
			delete(r.Fields, f.Name)
		}
		if f.Type == TypeIDNumber && r.Fields[f.Name] != "" {
			r.Fields[f.Name] = valid.MaskID(r.Fields[f.Name])
		}
	}
	return r
}
