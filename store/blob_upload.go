package store

import "context"

// The sync client keeps in sync_blobs which attachment content the county
// server is known to hold ('up'), so that it offers each only once. These
// methods are its only way into that table.

// BlobsNotUploaded keeps, of hashes, those the server is not yet known to
// hold, in the order given.
func (s *Store) BlobsNotUploaded(ctx context.Context, hashes []string) ([]string, error) {
	var out []string
	for _, h := range hashes {
		var n int
		err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM sync_blobs WHERE hash = ? AND direction = 'up'", h).Scan(&n)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			out = append(out, h)
		}
	}
	return out, nil
}

// MarkBlobsUploaded records content the server holds, so that it is not
// offered again.
func (s *Store) MarkBlobsUploaded(ctx context.Context, hashes []string) error {
	for _, h := range hashes {
		if _, err := s.db.ExecContext(ctx, `INSERT INTO sync_blobs(hash, direction) VALUES(?, 'up')
			ON CONFLICT(hash) DO UPDATE SET direction = 'up'`, h); err != nil {
			return err
		}
	}
	return nil
}

// ForgetBlobsUploaded forgets what the server was known to hold (it was
// restored from an old backup): every attachment is offered again.
func (s *Store) ForgetBlobsUploaded(ctx context.Context) error {
	_, err := s.db.ExecContext(ctx, "DELETE FROM sync_blobs WHERE direction = 'up'")
	return err
}
