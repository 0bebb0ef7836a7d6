package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"
)

// Drafts keep what an officer typed into a form before saving it. The GUI
// writes the draft as fields change and drops it on save or cancel, so a
// crash or power cut loses at most the field being typed. A draft belongs to
// the signed-in user on this device: it is not a record, never syncs, and
// another account never sees it.

// draftKey scopes a form's key to the signed-in user.
func (s *Store) draftKey(form string) (string, error) {
	user := s.Session().User
	if user == "" {
		return "", ErrLocked
	}
	return user + "\x00" + form, nil
}

func draftAD(key string) []byte { return []byte("draft:" + key) }

// SaveDraft keeps the current contents of a form under the form's key.
func (s *Store) SaveDraft(ctx context.Context, form string, fields map[string]string) error {
	seal, err := s.sealerOrErr()
	if err != nil {
		return err
	}
	key, err := s.draftKey(form)
	if err != nil {
		return err
	}
	data, err := json.Marshal(fields)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO drafts(key, saved_at, data) VALUES(?, ?, ?)
		ON CONFLICT(key) DO UPDATE SET saved_at = excluded.saved_at, data = excluded.data`,
		key, s.now().UnixMilli(), seal.seal(data, draftAD(key)))
	return err
}

// Draft returns the signed-in user's draft of a form, if there is one.
func (s *Store) Draft(ctx context.Context, form string) (fields map[string]string, saved time.Time, ok bool, err error) {
	seal, err := s.sealerOrErr()
	if err != nil {
		return nil, time.Time{}, false, err
	}
	key, err := s.draftKey(form)
	if err != nil {
		return nil, time.Time{}, false, err
	}
	var at int64
	var sealed []byte
	err = s.db.QueryRowContext(ctx, "SELECT saved_at, data FROM drafts WHERE key = ?", key).Scan(&at, &sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, time.Time{}, false, nil
	}
	if err != nil {
		return nil, time.Time{}, false, err
	}
	plain, err := seal.open(sealed, draftAD(key))
	if err != nil {
		return nil, time.Time{}, false, err
	}
	if err := json.Unmarshal(plain, &fields); err != nil {
		return nil, time.Time{}, false, err
	}
	return fields, time.UnixMilli(at), true, nil
}

// DropDraft forgets a form's draft (after it was saved or discarded).
func (s *Store) DropDraft(ctx context.Context, form string) error {
	key, err := s.draftKey(form)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, "DELETE FROM drafts WHERE key = ?", key)
	return err
}
