package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
	"time"

	"rehabdesk/internal/i18n"
)

// Kinds of conflict.
const (
	ConflictField   = "field"   // concurrent edits of one field: the other value lost
	ConflictArchive = "archive" // the record was edited while (or after) another device archived it
)

// ErrNoConflict means the conflict is not open (any more): it was resolved,
// here or on another device, or never existed.
var ErrNoConflict = i18n.NewError("merge.error.no_conflict", "no such open conflict")

// Conflict is a value someone typed that is not the current value of its
// field, and that nobody saw being replaced; or, for ConflictArchive, an
// archived record edited by someone who did not know. Every replica that has
// the same changes shows the same conflicts, with the same IDs.
type Conflict struct {
	ID             string // stable across replicas
	Kind           string // ConflictField or ConflictArchive
	RecordKind     Kind
	RecordID       string
	PersonID       string
	Field          string // FieldArchived for ConflictArchive
	CurrentValue   string
	CurrentVersion string
	OtherValue     string // the losing value; "" (not archived) for ConflictArchive
	OtherVersion   string // the losing version; the newest unseen edit for ConflictArchive
	OtherDevice    string
	OtherUser      string
	OtherTime      time.Time
	EditedFields   []string // ConflictArchive: fields edited after the archive was decided
}

// conflictID names a conflict the same way on every replica.
func conflictID(kind, entity, field, version string) string {
	sum := sha256.Sum256([]byte(kind + "\x00" + entity + "\x00" + field + "\x00" + version))
	return hex.EncodeToString(sum[:8])
}

// openConflict is the key of one open conflict, before its values are read.
type openConflict struct {
	kind, entity, field, version, edit string
	fields                             []string
}

func (o openConflict) id() string { return conflictID(o.kind, o.entity, o.field, o.version) }

// openConflicts lists the keys of every open conflict.
func (s *Store) openConflicts(ctx context.Context, q querier) ([]openConflict, error) {
	rows, err := q.QueryContext(ctx, "SELECT entity_id, field, version FROM merge_versions WHERE state = ? ORDER BY entity_id, field, version", stateLoser)
	if err != nil {
		return nil, err
	}
	var out []openConflict
	for rows.Next() {
		o := openConflict{kind: ConflictField}
		if err := rows.Scan(&o.entity, &o.field, &o.version); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return s.appendArchiveConflicts(ctx, q, out)
}

func (s *Store) appendArchiveConflicts(ctx context.Context, q querier, out []openConflict) ([]openConflict, error) {
	rows, err := q.QueryContext(ctx, "SELECT entity_id, archive_version, edit_version, fields FROM merge_archive ORDER BY entity_id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		o := openConflict{kind: ConflictArchive, field: FieldArchived}
		var fields string
		if err := rows.Scan(&o.entity, &o.version, &o.edit, &fields); err != nil {
			return nil, err
		}
		o.fields = strings.Split(fields, ",")
		out = append(out, o)
	}
	return out, rows.Err()
}

// Conflicts lists the open conflicts the session may see, by person, record
// and field. A losing value equal to the current one is not shown: nothing
// would be lost.
func (s *Store) Conflicts(ctx context.Context) ([]Conflict, error) {
	keys, err := s.openConflicts(ctx, s.db)
	if err != nil {
		return nil, err
	}
	recs := map[string]*Record{}
	var out []Conflict
	for _, k := range keys {
		c, ok, err := s.describeConflict(ctx, s.db, recs, k)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.PersonID != b.PersonID {
			return a.PersonID < b.PersonID
		}
		return a.RecordID < b.RecordID
	})
	return out, nil
}

// describeConflict reads the values of an open conflict; ok is false when it
// is hidden (same value, or outside the session's scope).
func (s *Store) describeConflict(ctx context.Context, q querier, recs map[string]*Record, k openConflict) (Conflict, bool, error) {
	r := recs[k.entity]
	if r == nil {
		var err error
		if r, err = s.getRecord(ctx, q, k.entity); err != nil {
			return Conflict{}, false, err
		}
		recs[k.entity] = r
	}
	if !s.mayRead(r) || s.hiddenField(r.Kind, k.field) {
		return Conflict{}, false, nil
	}
	c := Conflict{ID: k.id(), Kind: k.kind, RecordKind: r.Kind, RecordID: r.ID, PersonID: r.PersonID, Field: k.field,
		CurrentValue: r.Fields[k.field], CurrentVersion: r.Versions[k.field], OtherVersion: k.version, EditedFields: k.fields}
	if k.kind == ConflictArchive {
		c.OtherVersion = k.edit
	}
	ch, err := s.changeAt(ctx, q, c.OtherVersion)
	if err != nil || ch == nil {
		return c, err == nil, err
	}
	c.OtherDevice, c.OtherUser, c.OtherTime = ch.Device, ch.User, ch.HLC.Time()
	if k.kind == ConflictField {
		c.OtherValue = ch.Fields[k.field]
	}
	return c, k.kind == ConflictArchive || c.OtherValue != c.CurrentValue, nil
}

// hiddenField reports whether the session may not see a field (volunteers do
// not see sensitive fields).
func (s *Store) hiddenField(kind Kind, field string) bool {
	return s.Session().Role == "volunteer" && hiddenFromVolunteers(kind, field)
}

// changeAt reads the change that wrote a version (nil if not in the log).
func (s *Store) changeAt(ctx context.Context, q querier, version string) (*Change, error) {
	h, dev, ok := strings.Cut(version, "@")
	if !ok {
		return nil, nil
	}
	chs, err := s.queryChanges(ctx, q, "WHERE hlc = ? AND device = ?", h, dev)
	if err != nil || len(chs) == 0 {
		return nil, err
	}
	return chs[0], nil
}

// findConflict returns the open conflict with an ID, or ErrNoConflict.
func (tx *Tx) findConflict(id string) (openConflict, error) {
	keys, err := tx.s.openConflicts(tx.ctx, tx.tx)
	if err != nil {
		return openConflict{}, err
	}
	for _, k := range keys {
		if k.id() == id {
			return k, nil
		}
	}
	return openConflict{}, ErrNoConflict
}
