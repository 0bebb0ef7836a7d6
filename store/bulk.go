package store

import (
	"context"
	"strings"
	"time"
)

// LoadAll reads every live record of the given kinds in one pass, for
// computations over a whole township (alerts, monthly figures) that cannot
// be done in SQL because every field is encrypted. The session's scope
// applies as in List. Records of each kind come oldest first.
func (s *Store) LoadAll(ctx context.Context, kinds ...Kind) (map[Kind][]*Record, error) {
	seal, err := s.sealerOrErr()
	if err != nil {
		return nil, err
	}
	where, args := kindsIn(kinds)
	rows, err := s.db.QueryContext(ctx, "SELECT "+recordColumns+" FROM records WHERE archived = 0"+where+
		" ORDER BY created_at, id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[Kind][]*Record, len(kinds))
	for rows.Next() {
		r, err := s.scanRecord(seal, rows)
		if err != nil {
			return nil, err
		}
		if s.mayRead(r) {
			out[r.Kind] = append(out[r.Kind], s.redact(r))
		}
	}
	return out, rows.Err()
}

// kindsIn builds " AND kind IN (?,...)" for a list of kinds; no kinds means all.
func kindsIn(kinds []Kind) (string, []any) {
	if len(kinds) == 0 {
		return "", nil
	}
	args := make([]any, len(kinds))
	for i, k := range kinds {
		args[i] = string(k)
	}
	return " AND kind IN (?" + strings.Repeat(",?", len(kinds)-1) + ")", args
}

// Snapshot rebuilds the live records of the given kinds as they stood at a
// moment, by replaying the change log up to it: every change whose clock
// reading is at or before at, each field keeping its latest version, as a
// merge would. A report regenerated for a past month thus ignores edits made
// after that month. Archived records are left out; the session's scope
// applies.
func (s *Store) Snapshot(ctx context.Context, at time.Time, kinds ...Kind) (map[Kind][]*Record, error) {
	where, args := kindsIn(kinds)
	// HLC strings order as clocks do, so "before the next millisecond"
	// selects every reading at or before at.
	limit := HLC{Wall: at.UnixMilli() + 1}.String()
	changes, err := s.queryChanges(ctx, s.db, "WHERE hlc < ?"+where+" ORDER BY hlc, device", append([]any{limit}, args...)...)
	if err != nil {
		return nil, err
	}
	byID := map[string]*Record{}
	var order []*Record
	for _, c := range changes {
		r := byID[c.EntityID]
		if r == nil {
			r = &Record{Kind: c.Kind, ID: c.EntityID, Township: c.Township, Fields: map[string]string{}, Versions: map[string]string{}}
			byID[c.EntityID] = r
			order = append(order, r)
		}
		replay(r, c)
	}
	out := make(map[Kind][]*Record, len(kinds))
	for _, r := range order {
		if !r.Archived && s.mayRead(r) {
			out[r.Kind] = append(out[r.Kind], s.redact(r))
		}
	}
	return out, nil
}

// replay applies the fields of a change that are newer than the record's,
// so that the result does not depend on the order changes arrived in.
func replay(r *Record, c *Change) {
	v := c.Version()
	newer := make(map[string]string, len(c.Fields))
	for f, val := range c.Fields {
		if cur, err := ParseVersion(r.Versions[f]); err != nil || cur.Less(v) {
			newer[f] = val
		}
	}
	ApplyFields(r, newer, v)
}
