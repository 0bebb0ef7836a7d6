package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"
)

// LoadAll reads every live record of the given kinds in one pass, for
// computations over a whole township (alerts, monthly figures) that cannot
// be done in SQL because every field is encrypted. The session's scope
// applies as in List. Records come in id order (UUIDv7 ids: about the order
// they were created). Versions are not read: these records are for reading,
// and skipping them halves the decoding.
func (s *Store) LoadAll(ctx context.Context, kinds ...Kind) (map[Kind][]*Record, error) {
	seal, err := s.sealerOrErr()
	if err != nil {
		return nil, err
	}
	raws, err := s.loadRaw(ctx, kinds)
	if err != nil {
		return nil, err
	}
	recs, err := openAll(seal, raws)
	if err != nil {
		return nil, err
	}
	out := make(map[Kind][]*Record, len(kinds))
	for _, r := range recs {
		if s.mayRead(r) {
			out[r.Kind] = append(out[r.Kind], s.redact(r))
		}
	}
	return out, nil
}

// rawRecord is a records row before decryption.
type rawRecord struct {
	rec  Record
	data []byte
}

// loadRaw reads the rows; SQLite reads are sequential, decryption is not.
func (s *Store) loadRaw(ctx context.Context, kinds []Kind) ([]rawRecord, error) {
	where, args := kindsIn(kinds)
	rows, err := s.db.QueryContext(ctx, "SELECT kind, id, township, person_id, archived, created_at, updated_at, data FROM records WHERE archived = 0"+where+
		" ORDER BY id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rawRecord
	for rows.Next() {
		var r rawRecord
		var created, updated int64
		if err := rows.Scan(&r.rec.Kind, &r.rec.ID, &r.rec.Township, &r.rec.PersonID, &r.rec.Archived, &created, &updated, &r.data); err != nil {
			return nil, err
		}
		r.rec.Created, r.rec.Updated = time.UnixMilli(created), time.UnixMilli(updated)
		out = append(out, r)
	}
	return out, rows.Err()
}

// openAll decrypts and decodes rows on every CPU, keeping their order.
func openAll(seal *sealer, raws []rawRecord) ([]*Record, error) {
	out := make([]*Record, len(raws))
	parts := max(1, min(runtime.GOMAXPROCS(0), len(raws)/1000))
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for i := range parts {
		lo, hi := len(raws)*i/parts, len(raws)*(i+1)/parts
		wg.Go(func() {
			for j := lo; j < hi && errs[i] == nil; j++ {
				out[j], errs[i] = openRawRecord(seal, &raws[j])
			}
		})
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

func openRawRecord(seal *sealer, raw *rawRecord) (*Record, error) {
	r := raw.rec
	plain, err := seal.open(raw.data, recordAD(r.ID))
	if err != nil {
		return nil, fmt.Errorf("record %s: %w", r.ID, err)
	}
	if err := json.Unmarshal(plain, &r.Fields); err != nil {
		return nil, fmt.Errorf("record %s: %w", r.ID, err)
	}
	return &r, nil
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
