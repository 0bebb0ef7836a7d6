package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"
)

// RecordsAsOf rebuilds the live records of the given kinds as they stood at a
// moment, by replaying the change log up to it: every change whose clock
// reading is at or before at, each field keeping its latest version, as a
// merge would. A report regenerated for a past month thus ignores edits made
// after that month. Archived records are left out; the session's scope
// applies. Like LoadAll's, the records carry no Versions.
func (s *Store) RecordsAsOf(ctx context.Context, at time.Time, kinds ...Kind) (map[Kind][]*Record, error) {
	byID := map[string]*Record{}
	var order []*Record
	err := s.eachChangeUntil(ctx, at, kinds, func(c *Change) {
		r := byID[c.EntityID]
		if r == nil {
			r = &Record{Kind: c.Kind, ID: c.EntityID, Township: c.Township, Fields: map[string]string{}}
			byID[c.EntityID] = r
			order = append(order, r)
		}
		replay(r, c)
	})
	if err != nil {
		return nil, err
	}
	out := make(map[Kind][]*Record, len(kinds))
	for _, r := range order {
		if !r.Archived && s.mayReadAt(r, at) {
			out[r.Kind] = append(out[r.Kind], s.redact(r))
		}
	}
	return out, nil
}

// EachChange hands fn every change of some kinds in clock order, a batch
// decrypted at a time. The monthly report reads the dated history of
// fields a record keeps only the current value of (失联, 中止, the
// township), which the records alone cannot give for a past month.
//
// It reads every person's history, so a volunteer session is refused.
func (s *Store) EachChange(ctx context.Context, kinds []Kind, fn func(*Change)) error {
	if s.Session().Role == "volunteer" {
		return ErrForbidden
	}
	return s.eachChangeUntil(ctx, time.UnixMilli(9999999999998), kinds, fn) // the largest clock reading HLC.String writes in order
}

// eachChangeUntil hands fn, in clock order, the changes of some kinds with
// a clock reading at or before at, decrypted a batch at a time on every CPU
// so that the log is never all in memory.
func (s *Store) eachChangeUntil(ctx context.Context, at time.Time, kinds []Kind, fn func(*Change)) error {
	seal, err := s.sealerOrErr()
	if err != nil {
		return err
	}
	where, args := kindsIn(kinds)
	// HLC strings order as clocks do, so "before the next millisecond"
	// selects every reading at or before at.
	limit := HLC{Wall: at.UnixMilli() + 1}.String()
	rows, err := s.db.QueryContext(ctx, "SELECT hlc, device, kind, entity_id, township, person_id, payload FROM changes WHERE hlc < ?"+
		where+" ORDER BY hlc, device", append([]any{limit}, args...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var batch []*Change
	var payloads [][]byte
	flush := func() error {
		if err := openChanges(seal, batch, payloads); err != nil {
			return err
		}
		for _, c := range batch {
			fn(c)
		}
		batch, payloads = batch[:0], payloads[:0]
		return nil
	}
	for rows.Next() {
		c, p, err := scanChangeRow(rows)
		if err != nil {
			return err
		}
		if batch, payloads = append(batch, c), append(payloads, p); len(batch) == eachBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return flush()
}

func scanChangeRow(rows *sql.Rows) (*Change, []byte, error) {
	var c Change
	var h string
	var p []byte
	if err := rows.Scan(&h, &c.Device, &c.Kind, &c.EntityID, &c.Township, &c.PersonID, &p); err != nil {
		return nil, nil, err
	}
	var err error
	c.HLC, err = ParseHLC(h)
	return &c, p, err
}

// openChanges decrypts change payloads in parallel, filling Fields.
func openChanges(seal *sealer, cs []*Change, payloads [][]byte) error {
	parts := max(1, min(runtime.GOMAXPROCS(0), len(cs)/500))
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for i := range parts {
		lo, hi := len(cs)*i/parts, len(cs)*(i+1)/parts
		wg.Go(func() {
			for j := lo; j < hi && errs[i] == nil; j++ {
				errs[i] = openChange(seal, cs[j], payloads[j])
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

func openChange(seal *sealer, c *Change, payload []byte) error {
	plain, err := seal.open(payload, changeAD(c.HLC, c.Device))
	if err != nil {
		return fmt.Errorf("change %s@%s: %w", c.HLC, c.Device, err)
	}
	var p changePayload
	if err := json.Unmarshal(plain, &p); err != nil {
		return fmt.Errorf("change %s@%s: %w", c.HLC, c.Device, err)
	}
	c.Fields = p.Fields
	return nil
}

// replay applies a change to the record being rebuilt. Changes come in
// clock order, which is version order, so each one's fields win over what
// came before, as a merge would decide; versions themselves are not kept.
func replay(r *Record, c *Change) {
	for f, val := range c.Fields {
		if val == "" {
			delete(r.Fields, f)
		} else {
			r.Fields[f] = val
		}
	}
	syncMeta(r)
	t := c.HLC.Time()
	if r.Created.IsZero() {
		r.Created = t
	}
	r.Updated = t
}
