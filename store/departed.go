package store

import "context"

// What the monthly report keeps of persons transferred away (transfer_away.go):
// their file is erased from this device after the transfer, yet a month
// that ended before they left counted them, and its submitted figures must
// not change because they left. Before the erasure the report reads their
// file (DepartedFile) and keeps what they counted in those months, sealed
// in this device's state (SetSealedState): figures, no personal values.

// DepartedFile returns the live records of a person transferred away whose
// file is still on this device (not yet purged): the person and every
// record of theirs. Volunteers get ErrForbidden; a person not away, or
// already erased, gives no records.
func (s *Store) DepartedFile(ctx context.Context, personID string) ([]*Record, error) {
	if s.Session().Role == "volunteer" {
		return nil, ErrForbidden
	}
	if !s.awayNow().has(personID) {
		return nil, nil
	}
	return s.queryRecords(ctx, "SELECT "+recordColumns+" FROM records WHERE (id = ? OR person_id = ?) AND archived = 0",
		personID, personID)
}

func sealedStateAD(key string) []byte { return []byte("state:" + key) }

// SetSealedState keeps a value of this device's own (never synced) sealed
// with the database key; an empty value deletes it. Only the monthly
// report keeps such values, so a volunteer session is refused.
func (s *Store) SetSealedState(ctx context.Context, key, value string) error {
	if s.Session().Role == "volunteer" {
		return ErrForbidden
	}
	if value == "" {
		return s.SetSyncState(ctx, map[string]string{key: ""})
	}
	seal, err := s.sealerOrErr()
	if err != nil {
		return err
	}
	return setSyncState(ctx, s.db, key, seal.seal([]byte(value), sealedStateAD(key)))
}

// SealedStates returns the values SetSealedState kept under keys starting
// with prefix, by key. A volunteer session is refused.
func (s *Store) SealedStates(ctx context.Context, prefix string) (map[string]string, error) {
	if s.Session().Role == "volunteer" {
		return nil, ErrForbidden
	}
	seal, err := s.sealerOrErr()
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT key, value FROM sync_state WHERE substr(key, 1, ?) = ?", len(prefix), prefix)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var key string
		var sealed []byte
		if err := rows.Scan(&key, &sealed); err != nil {
			return nil, err
		}
		plain, err := seal.open(sealed, sealedStateAD(key))
		if err != nil {
			return nil, err
		}
		out[key] = string(plain)
	}
	return out, rows.Err()
}
