package store

import (
	"context"
	"slices"
)

// Erasing the files of persons transferred away, once their local edits
// reached the county; see transfer_away.go for the design.

// dropPurged leaves out, from changes to merge, those of persons whose
// files were erased here: a late edit from another device of this township,
// or old changes pulled again, must not bring back a piece of the file. A
// change moving such a person back to a served township is kept, and so are
// the person's changes after it in the batch: the county sends the whole
// file with it.
func (s *Store) dropPurged(changes []*Change) []*Change {
	a := s.awayNow()
	if !a.anyPurged {
		return changes
	}
	back := map[string]bool{}
	out := make([]*Change, 0, len(changes))
	for _, c := range changes {
		if c == nil {
			out = append(out, c) // malformed: the merge rejects it
			continue
		}
		p := changePerson(c)
		if e, ok := a.persons[p]; !ok || !e.purged {
			out = append(out, c)
			continue
		}
		if t, moved := c.Fields[FieldTownship]; moved && c.Kind == KindPerson && a.serves(t) {
			back[p] = true
		}
		if back[p] {
			out = append(out, c)
		}
	}
	return out
}

// PurgeTransferred erases from this device the files of persons
// transferred to a township it does not serve, once no change of theirs
// made here is left to push: every local change up to pushedThrough (the
// sync push cursor) has been acknowledged by the county. It returns how many
// files it erased. The tombstones stay (Transfers).
func (s *Store) PurgeTransferred(ctx context.Context, pushedThrough int64) (int, error) {
	var purged []string
	err := s.update(ctx, func(tx *Tx) error {
		ids, err := tx.purgeable(pushedThrough)
		if err != nil {
			return err
		}
		for _, p := range ids {
			done, err := tx.purgePerson(p)
			if err != nil {
				return err
			}
			if done {
				purged = append(purged, p)
			}
		}
		tx.awayChanged = len(purged) > 0
		return nil
	})
	if err != nil || len(purged) == 0 {
		return 0, err
	}
	s.forgetEntries(ctx, purged)
	return len(purged), nil
}

// forgetEntries drops erased persons from the search index and rewrites
// the sealed snapshot now, rather than at the next sign-in or lock, so
// their names leave the file with their records.
func (s *Store) forgetEntries(ctx context.Context, persons []string) {
	s.mu.RLock()
	idx, seal := s.index, s.seal
	s.mu.RUnlock()
	if idx != nil {
		for _, p := range persons {
			idx.Remove(p)
		}
	}
	if seal != nil {
		s.saveSnapshot(ctx, seal) // best effort: index_dirty still lists them
	}
}

// purgeable lists the away persons still held here with no local change
// after the push cursor. A change is the person's by the person it named
// or by the record it changed now belonging to them, as purgePerson erases
// by the latter: a measure edited here while it was another person's, then
// moved to this one by a merge from elsewhere, must be pushed first.
func (tx *Tx) purgeable(pushedThrough int64) ([]string, error) {
	return queryStrings(tx.ctx, tx.tx, `SELECT t.person_id FROM transfers_out t WHERE t.purged_at = 0 AND NOT EXISTS (
		SELECT 1 FROM changes c WHERE c.local = 1 AND c.seq > ? AND (c.person_id = t.person_id OR c.entity_id = t.person_id
			OR c.entity_id IN (SELECT r.id FROM records r WHERE r.person_id = t.person_id)))`, pushedThrough)
}

// purgePerson erases one person's file. It waits (false) while an
// attachment typed here has content not yet uploaded.
func (tx *Tx) purgePerson(person string) (bool, error) {
	ids, err := queryStrings(tx.ctx, tx.tx, "SELECT id FROM records WHERE id = ? OR person_id = ?", person, person)
	if err != nil {
		return false, err
	}
	hashes, waiting, err := tx.attachmentContent(person)
	if err != nil || waiting {
		return false, err
	}
	for chunk := range slices.Chunk(ids, 500) {
		in, args := inList(chunk)
		for _, table := range []string{"merge_versions", "merge_archive", "changes"} {
			if _, err := tx.tx.ExecContext(tx.ctx, "DELETE FROM "+table+" WHERE entity_id IN "+in, args...); err != nil {
				return false, err
			}
		}
		if _, err := tx.tx.ExecContext(tx.ctx, "DELETE FROM records WHERE id IN "+in, args...); err != nil {
			return false, err
		}
	}
	if err := tx.dropUnusedBlobs(hashes); err != nil {
		return false, err
	}
	if err := tx.dropDrafts(append(ids, person)); err != nil {
		return false, err
	}
	_, err = tx.tx.ExecContext(tx.ctx, "UPDATE transfers_out SET purged_at = ? WHERE person_id = ?", tx.s.now().UnixMilli(), person)
	return err == nil, err
}

// attachmentContent lists the content hashes of a person's attachments;
// waiting is true when one was attached on this device and its content has
// not been uploaded yet (sync_blobs marks uploaded content 'up').
func (tx *Tx) attachmentContent(person string) (hashes []string, waiting bool, err error) {
	rows, err := tx.tx.QueryContext(tx.ctx, "SELECT "+recordColumns+" FROM records WHERE person_id = ? AND kind = 'attachment'", person)
	if err != nil {
		return nil, false, err
	}
	var recs []*Record
	for rows.Next() {
		r, err := tx.s.scanRecord(tx.seal, rows)
		if err != nil {
			rows.Close()
			return nil, false, err
		}
		recs = append(recs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	for _, r := range recs {
		h := r.Fields["sha256"]
		if h == "" {
			continue
		}
		hashes = append(hashes, h)
		var unsent int
		err := tx.tx.QueryRowContext(tx.ctx, `SELECT count(*) FROM blob_data b WHERE b.hash = ?
			AND NOT EXISTS (SELECT 1 FROM sync_blobs u WHERE u.hash = b.hash AND u.direction = 'up')
			AND EXISTS (SELECT 1 FROM changes c WHERE c.entity_id = ? AND c.local = 1)`, h, r.ID).Scan(&unsent)
		if err != nil || unsent > 0 {
			return nil, unsent > 0, err
		}
	}
	return hashes, false, nil
}

// dropUnusedBlobs erases attachment content no remaining record names
// (the same scan may be attached to two persons).
func (tx *Tx) dropUnusedBlobs(hashes []string) error {
	if len(hashes) == 0 {
		return nil
	}
	used := map[string]bool{}
	rows, err := tx.tx.QueryContext(tx.ctx, "SELECT "+recordColumns+" FROM records WHERE kind = 'attachment'")
	if err != nil {
		return err
	}
	for rows.Next() {
		r, err := tx.s.scanRecord(tx.seal, rows)
		if err != nil {
			rows.Close()
			return err
		}
		used[r.Fields["sha256"]] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, h := range hashes {
		if used[h] {
			continue
		}
		for _, table := range []string{"blob_data", "blob_parts", "sync_blobs"} {
			if _, err := tx.tx.ExecContext(tx.ctx, "DELETE FROM "+table+" WHERE hash = ?", h); err != nil {
				return err
			}
		}
	}
	return nil
}

// dropDrafts erases unsaved forms of the erased records: a form's key
// names the record it edits and the person it belongs to as ":id"
// (app/form.go), and such a form could no longer be saved anyway.
func (tx *Tx) dropDrafts(ids []string) error {
	for _, id := range ids {
		_, err := tx.tx.ExecContext(tx.ctx, "DELETE FROM drafts WHERE instr(key || ':', ':' || ? || ':') > 0", id)
		if err != nil {
			return err
		}
	}
	return nil
}
