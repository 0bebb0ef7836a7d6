package store

import (
	"context"
	"database/sql"
	"errors"
)

// Sync state is a small key/value table the sync client keeps inside the
// device database (server address, pinned certificate, cursors). Keeping it
// in the same file means a restored or copied database carries its sync
// position with its data, and a cursor can move in the same transaction as
// the changes it covers. The store holds no network code.

// SyncState reads one sync fact; a missing key gives "".
func (s *Store) SyncState(ctx context.Context, key string) (string, error) {
	var v []byte
	err := s.db.QueryRowContext(ctx, "SELECT value FROM sync_state WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return string(v), err
}

// SetSyncState writes sync facts in one transaction; an empty value deletes.
func (s *Store) SetSyncState(ctx context.Context, kv map[string]string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for k, v := range kv {
		if err := setSyncState(ctx, tx, k, []byte(v)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// SetSyncState writes a sync fact inside a write transaction, so that a pull
// cursor commits or rolls back together with the changes it covers.
func (tx *Tx) SetSyncState(key, value string) error {
	return setSyncState(tx.ctx, tx.tx, key, []byte(value))
}

func setSyncState(ctx context.Context, q querier, key string, value []byte) error {
	if len(value) == 0 {
		_, err := q.ExecContext(ctx, "DELETE FROM sync_state WHERE key = ?", key)
		return err
	}
	_, err := q.ExecContext(ctx, `INSERT INTO sync_state(key, value) VALUES(?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// SetSyncSecret stores a secret (the device token) sealed with the data key,
// so that a copied database file does not hand out the device's identity.
func (s *Store) SetSyncSecret(ctx context.Context, key string, secret []byte) error {
	seal, err := s.sealerOrErr()
	if err != nil {
		return err
	}
	return setSyncState(ctx, s.db, key, seal.seal(secret, []byte("sync:"+key)))
}

// SyncSecret opens a secret stored with SetSyncSecret; nil when unset.
func (s *Store) SyncSecret(ctx context.Context, key string) ([]byte, error) {
	seal, err := s.sealerOrErr()
	if err != nil {
		return nil, err
	}
	var v []byte
	err = s.db.QueryRowContext(ctx, "SELECT value FROM sync_state WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return seal.open(v, []byte("sync:"+key))
}
