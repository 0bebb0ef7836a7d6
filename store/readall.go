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
	if m, ok := plainJSON(b); ok {
		return m, nil
	}
	var m map[string]string
	err := json.Unmarshal(b, &m)
	return m, err
}

// plainJSON reads {"k":"v",...} without whitespace or escapes, exactly as
// json.Marshal writes a map[string]string without special characters; ok
// is false for anything else, invalid UTF-8 included. Over a string its
// keys and values are substrings of s; over bytes, copies.
func plainJSON[T ~string | ~[]byte](s T) (map[string]string, bool) {
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' {
		return nil, false
	}
	m := make(map[string]string, 8)
	if len(s) == 2 {
		return m, true
	}
	for i := 1; ; {
		k, j, ok := plainString(s, i)
		if !ok || j >= len(s) || s[j] != ':' {
			return nil, false
		}
		v, j, ok := plainString(s, j+1)
		if !ok || j >= len(s) {
			return nil, false
		}
		m[k] = v
		switch s[j] {
		case ',':
			i = j + 1
		case '}':
			return m, j == len(s)-1
		default:
			return nil, false
		}
	}
}

// plainString reads a JSON string at s[i] that has no escape and no control
// character, returning it and the index after its closing quote.
func plainString[T ~string | ~[]byte](s T, i int) (string, int, bool) {
	if i >= len(s) || s[i] != '"' {
		return "", 0, false
	}
	for j := i + 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == '"':
			v := string(s[i+1 : j])
			return v, j + 1, utf8.ValidString(v)
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
