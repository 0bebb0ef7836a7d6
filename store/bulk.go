package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// LoadAll reads every live record of the given kinds in one pass, for
// computations over a whole township (alerts, monthly figures) that cannot
// be done in SQL because every field is encrypted. The session's scope
// applies as in List. Records of a kind come in id order (UUIDv7 ids: about
// the order they were created), the order of the kind index, so SQLite need
// not sort. Versions are not read: these records are for reading, and
// skipping them halves the decoding.
func (s *Store) LoadAll(ctx context.Context, kinds ...Kind) (map[Kind][]*Record, error) {
	out := make(map[Kind][]*Record, len(kinds))
	err := s.EachRecord(ctx, kinds, func(r *Record) error {
		out[r.Kind] = append(out[r.Kind], r)
		return nil
	})
	return out, err
}

// eachBatch is how many rows EachRecord decrypts at a time (a variable so
// that tests cross batch boundaries with a few records).
var eachBatch = 4096

// EachRecord is LoadAll without holding every record: rows are decrypted a
// batch at a time on every CPU and handed to fn one by one, in order. A
// large township is then as big in memory as what fn keeps.
func (s *Store) EachRecord(ctx context.Context, kinds []Kind, fn func(*Record) error) error {
	seal, err := s.sealerOrErr()
	if err != nil {
		return err
	}
	rows, err := s.queryRaw(ctx, kinds)
	if err != nil {
		return err
	}
	defer rows.Close()
	batch := make([]rawRecord, 0, eachBatch)
	for rows.Next() {
		r, err := scanRaw(rows)
		if err != nil {
			return err
		}
		if batch = append(batch, r); len(batch) == eachBatch {
			if err := s.handBatch(seal, batch, fn); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return s.handBatch(seal, batch, fn)
}

// handBatch decrypts a batch and gives fn the records the session may read.
func (s *Store) handBatch(seal *sealer, batch []rawRecord, fn func(*Record) error) error {
	recs, err := openAll(seal, batch)
	if err != nil {
		return err
	}
	for _, r := range recs {
		if !s.mayRead(r) {
			continue
		}
		if err := fn(s.redact(r)); err != nil {
			return err
		}
	}
	return nil
}

// rawRecord is a records row before decryption.
type rawRecord struct {
	rec  Record
	data []byte
}

// queryRaw selects the live rows of some kinds, in index order.
func (s *Store) queryRaw(ctx context.Context, kinds []Kind) (*sql.Rows, error) {
	where, args := kindsIn(kinds)
	return s.db.QueryContext(ctx, "SELECT kind, id, township, person_id, archived, created_at, updated_at, data FROM records WHERE archived = 0"+where, args...)
}

func scanRaw(rows *sql.Rows) (rawRecord, error) {
	var r rawRecord
	var created, updated int64
	err := rows.Scan(&r.rec.Kind, &r.rec.ID, &r.rec.Township, &r.rec.PersonID, &r.rec.Archived, &created, &updated, &r.data)
	r.rec.Created, r.rec.Updated = time.UnixMilli(created), time.UnixMilli(updated)
	return r, err
}

// loadRaw reads the rows of some kinds undecrypted; SQLite reads are
// sequential, decryption (openAll) need not be.
func (s *Store) loadRaw(ctx context.Context, kinds []Kind) ([]rawRecord, error) {
	rows, err := s.queryRaw(ctx, kinds)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rawRecord
	for rows.Next() {
		r, err := scanRaw(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// openAll decrypts and decodes rows on every CPU, keeping their order.
func openAll(seal *sealer, raws []rawRecord) ([]*Record, error) {
	out := make([]*Record, len(raws))
	parts := max(1, min(runtime.GOMAXPROCS(0), len(raws)/500))
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
	if r.Fields, err = decodeFields(plain); err != nil {
		return nil, fmt.Errorf("record %s: %w", r.ID, err)
	}
	return &r, nil
}

// decodeFields decodes a record's sealed JSON object of field values. Most
// values hold no escaped character (Chinese text is stored as raw UTF-8),
// and such objects are split directly, several times faster than
// encoding/json; anything else goes to encoding/json.
func decodeFields(b []byte) (map[string]string, error) {
	if m, ok := plainFields(b); ok {
		return m, nil
	}
	var m map[string]string
	err := json.Unmarshal(b, &m)
	return m, err
}

// plainFields reads {"k":"v",...} without whitespace or escapes, exactly as
// json.Marshal writes a map[string]string without special characters; ok
// is false for anything else.
func plainFields(b []byte) (map[string]string, bool) {
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return nil, false
	}
	m := make(map[string]string, 8)
	if len(b) == 2 {
		return m, true
	}
	for i := 1; ; {
		k, j, ok := plainString(b, i)
		if !ok || j >= len(b) || b[j] != ':' {
			return nil, false
		}
		v, j, ok := plainString(b, j+1)
		if !ok || j >= len(b) {
			return nil, false
		}
		m[k] = v
		switch b[j] {
		case ',':
			i = j + 1
		case '}':
			return m, j == len(b)-1
		default:
			return nil, false
		}
	}
}

// plainString reads a JSON string at b[i] that has no escape and no control
// character, returning it and the index after its closing quote.
func plainString(b []byte, i int) (string, int, bool) {
	if i >= len(b) || b[i] != '"' {
		return "", 0, false
	}
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			s := string(b[i+1 : j])
			return s, j + 1, utf8.ValidString(s)
		case c == '\\' || c < 0x20:
			return "", 0, false
		}
	}
	return "", 0, false
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
// applies. Like LoadAll's, the records carry no Versions.
func (s *Store) Snapshot(ctx context.Context, at time.Time, kinds ...Kind) (map[Kind][]*Record, error) {
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
