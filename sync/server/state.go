package server

import (
	"context"
)

// Record is a record's merged state on the server: field values (empty
// values left out, as devices leave them out) and their versions.
type Record struct {
	Kind     string
	Fields   map[string]string
	Versions map[string]string
}

// Records returns the merged state of every record of a township, by id —
// what each of its devices must hold after a full sync.
func (s *Server) Records(ctx context.Context, township string) (map[string]*Record, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT e.id, e.kind, f.field, f.value, f.version
		FROM entities e LEFT JOIN entities p ON p.id = e.person_id JOIN fields f ON f.entity_id = e.id
		WHERE coalesce(p.township, e.township) = ?`, township)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]*Record{}
	for rows.Next() {
		var id, kind, field, version string
		var raw []byte
		if err := rows.Scan(&id, &kind, &field, &raw, &version); err != nil {
			return nil, err
		}
		value, err := s.fieldValue(id, field, raw)
		if err != nil {
			return nil, err
		}
		r := out[id]
		if r == nil {
			r = &Record{Kind: kind, Fields: map[string]string{}, Versions: map[string]string{}}
			out[id] = r
		}
		if value != "" {
			r.Fields[field] = value
		}
		r.Versions[field] = version
	}
	return out, rows.Err()
}

// Stats counts what the server holds: tests of the server, the sync client
// and countyd check with it that nothing was stored twice or at all.
type Stats struct {
	Changes int // distinct changes stored
	Feed    int // feed entries over all townships
}

// Stats counts stored changes and feed entries.
func (s *Server) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	err := s.db.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM changes), (SELECT count(*) FROM feed)").Scan(&st.Changes, &st.Feed)
	return st, err
}

// fieldValue opens a stored field value.
func (s *Server) fieldValue(entity, field string, raw []byte) (string, error) {
	if clearField(field) {
		return string(raw), nil
	}
	plain, err := s.seal.open(raw, fieldAD(entity, field))
	return string(plain), err
}
