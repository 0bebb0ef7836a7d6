package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"strconv"
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

// Attachment blobs. An attachment record names its content by SHA-256; the
// content itself lives here, sealed with the data key, and travels after
// the records (sync/client), resumably, in chunks kept in blob_chunks
// until the whole blob has arrived and its hash checks out.

// ErrBlobHash means received content does not match its hash.
var ErrBlobHash = errors.New("attachment content does not match its SHA-256")

// blobDB returns the sealer, or ErrLocked.
func (s *Store) blobDB(ctx context.Context) (*sealer, error) { return s.sealerOrErr() }

func chunkAD(hash string, offset int64) []byte {
	return []byte("blobpart:" + hash + ":" + strconv.FormatInt(offset, 10))
}

// PutBlob stores attachment content and returns its hex SHA-256, the value
// of the attachment record's "sha256" field.
func (s *Store) PutBlob(ctx context.Context, data []byte) (string, error) {
	seal, err := s.blobDB(ctx)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	h := hex.EncodeToString(sum[:])
	_, err = s.db.ExecContext(ctx, "INSERT INTO blob_data(hash, size, data) VALUES(?,?,?) ON CONFLICT DO NOTHING",
		h, len(data), seal.seal(data, []byte("blob:"+h)))
	return h, err
}

// Blob returns attachment content by hash; ErrNotFound when not here (yet).
func (s *Store) Blob(ctx context.Context, hash string) ([]byte, error) {
	seal, err := s.blobDB(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.mayReadBlob(ctx, hash); err != nil {
		return nil, err
	}
	var sealed []byte
	err = s.db.QueryRowContext(ctx, "SELECT data FROM blob_data WHERE hash = ?", hash).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return seal.open(sealed, []byte("blob:"+hash))
}

// BlobHashes lists the content hashes named by live attachment records,
// split into those whose content is here and those still missing.
func (s *Store) BlobHashes(ctx context.Context) (have, missing []string, err error) {
	if _, err := s.blobDB(ctx); err != nil {
		return nil, nil, err
	}
	recs, err := s.listAll(ctx, KindAttachment)
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]bool{}
	for _, r := range recs {
		h := r.Fields["sha256"]
		if h == "" || seen[h] {
			continue
		}
		seen[h] = true
		var n int
		if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM blob_data WHERE hash = ?", h).Scan(&n); err != nil {
			return nil, nil, err
		}
		if n > 0 {
			have = append(have, h)
		} else {
			missing = append(missing, h)
		}
	}
	return have, missing, nil
}

// BlobProgress is how many bytes of a missing blob have arrived.
func (s *Store) BlobProgress(ctx context.Context, hash string) (int64, error) {
	if _, err := s.blobDB(ctx); err != nil {
		return 0, err
	}
	var n int64
	err := s.db.QueryRowContext(ctx, "SELECT coalesce(sum(plain_size), 0) FROM blob_parts WHERE hash = ?", hash).Scan(&n)
	return n, err
}

// AddBlobChunk keeps a received chunk at its offset; once size bytes are
// here it checks the hash and stores the blob (ErrBlobHash, and the chunks
// are dropped, when the content is wrong).
func (s *Store) AddBlobChunk(ctx context.Context, hash string, offset, size int64, chunk []byte) error {
	seal, err := s.blobDB(ctx)
	if err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, "INSERT INTO blob_parts(hash, offset, plain_size, data) VALUES(?,?,?,?) ON CONFLICT DO NOTHING",
		hash, offset, len(chunk), seal.seal(chunk, chunkAD(hash, offset))); err != nil {
		return err
	}
	done, err := s.BlobProgress(ctx, hash)
	if err != nil || done < size {
		return err
	}
	return s.finishBlob(ctx, hash)
}

func (s *Store) finishBlob(ctx context.Context, hash string) error {
	all, err := s.joinParts(ctx, hash)
	defer s.db.ExecContext(ctx, "DELETE FROM blob_parts WHERE hash = ?", hash)
	if err != nil {
		return err
	}
	if got, err := s.PutBlob(ctx, all); err != nil || got != hash {
		return errors.Join(err, ErrBlobHash)
	}
	return nil
}

// joinParts opens and concatenates the received chunks of a blob in order.
func (s *Store) joinParts(ctx context.Context, hash string) ([]byte, error) {
	seal, err := s.sealerOrErr()
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT offset, data FROM blob_parts WHERE hash = ? ORDER BY offset", hash)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var all []byte
	for rows.Next() {
		var off int64
		var sealed []byte
		if err := rows.Scan(&off, &sealed); err != nil {
			return nil, err
		}
		b, err := seal.open(sealed, chunkAD(hash, off))
		if err != nil {
			return nil, err
		}
		all = append(all, b...)
	}
	return all, rows.Err()
}
