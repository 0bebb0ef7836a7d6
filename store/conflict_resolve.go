package store

import (
	"context"
	"fmt"
	"slices"
)

// ResolveConflict settles an open conflict with an ordinary edit that syncs
// like any other. For a field conflict, keepLoser writes the losing value,
// otherwise the current value is written again; either way the edit names
// both versions as its bases, so the conflict closes on every replica that
// receives it. For an archive conflict, keepLoser restores the record (the
// edit was right), otherwise the archive is confirmed.
func (s *Store) ResolveConflict(ctx context.Context, conflictID string, keepLoser bool) error {
	return s.Update(ctx, func(tx *Tx) error {
		k, err := tx.findConflict(conflictID)
		if err != nil {
			return err
		}
		cur, err := tx.s.getRecord(tx.ctx, tx.tx, k.entity)
		if err != nil {
			return err
		}
		if !tx.s.mayWrite(cur.Kind, cur, nil) || !tx.s.mayRead(cur) || tx.s.hiddenField(cur.Kind, k.field) {
			return ErrForbidden
		}
		if k.kind == ConflictArchive {
			return tx.resolveArchive(cur, keepLoser)
		}
		return tx.resolveField(cur, k, keepLoser)
	})
}

// resolveArchive restores the record or archives it again: the new archive
// change has seen every edit, so the conflict closes.
func (tx *Tx) resolveArchive(cur *Record, restore bool) error {
	if restore {
		if err := tx.checkUnique(SpecOf(cur.Kind), cur, cur.Fields); err != nil {
			return err
		}
		return tx.write(cur, map[string]string{FieldArchived: ""})
	}
	return tx.write(cur, map[string]string{FieldArchived: "1"})
}

// resolveField writes the chosen value of a field (and what derives from it)
// with the losing version among its bases.
func (tx *Tx) resolveField(cur *Record, k openConflict, keepLoser bool) error {
	value := cur.Fields[k.field]
	if keepLoser {
		loser, err := tx.changeAt(k.version)
		if err != nil {
			return err
		}
		if loser == nil {
			return fmt.Errorf("conflict %s: losing change missing from the log", k.id())
		}
		value = loser.Fields[k.field]
	}
	merged := make(map[string]string, len(cur.Fields)+1)
	for f, v := range cur.Fields {
		merged[f] = v
	}
	merged[k.field] = value
	if err := tx.s.derive(cur.Kind, merged); err != nil {
		return err
	}
	if err := tx.checkResolved(cur, k.field, merged); err != nil {
		return err
	}
	changed := withDerived(cur.Kind, diff(cur.Fields, merged), merged)
	changed[k.field] = value // written even when unchanged: the bases close the conflict
	changed = withDerived(cur.Kind, changed, merged)
	return tx.writeSeen(cur, changed, map[string][]string{k.field: {k.version}})
}

// checkResolved refuses a resolution that would make two live persons share
// an ID number (the officer merges them instead).
func (tx *Tx) checkResolved(cur *Record, field string, merged map[string]string) error {
	restoring := field == FieldArchived && merged[FieldArchived] == "" && cur.Archived
	if cur.Kind != KindPerson || (field != "id_number" && !restoring) || merged[FieldArchived] == "1" {
		return nil
	}
	return tx.checkUnique(SpecOf(KindPerson), cur, merged)
}

// noteLocalWrite keeps the merge state in step with a local edit, before
// the edit is applied and logged:
//   - an archive lists what it has seen (Bases[BaseSeen]), so that edits it
//     did not see show as "edited while archived" on every replica;
//   - an open conflict whose losing value equals the value being replaced or
//     the new value loses nothing: the edit names it as a base and closes it;
//   - an edit of an archived record, or its restoring or re-archiving, updates
//     the record's archive conflict.
func (tx *Tx) noteLocalWrite(cur *Record, ch *Change) error {
	if len(cur.Versions) == 0 {
		return nil // a new record: nothing merged yet
	}
	if ch.Fields[FieldArchived] == "1" {
		ch.Bases[BaseSeen] = formatSeen(seenAfter(cur, ch))
	}
	if err := tx.closeEqualLosers(cur, ch); err != nil {
		return err
	}
	return tx.archiveAfterLocal(cur, ch)
}

// closeEqualLosers closes the open conflicts of the change's fields that it
// names as bases (a resolution) or whose value it does not lose (adding them
// to its bases, so that every replica closes them too).
func (tx *Tx) closeEqualLosers(cur *Record, ch *Change) error {
	losers, err := tx.losersOf(cur.ID)
	if err != nil {
		return err
	}
	for _, k := range losers {
		if _, ok := ch.Fields[k.field]; !ok {
			continue
		}
		if !slices.Contains(ch.Bases[k.field], k.version) {
			same, err := tx.losesNothing(cur, ch, k)
			if err != nil {
				return err
			}
			if !same {
				continue
			}
			ch.Bases[k.field] = append(ch.Bases[k.field], k.version)
		}
		if _, err := tx.tx.ExecContext(tx.ctx, "DELETE FROM merge_versions WHERE entity_id = ? AND field = ? AND version = ?",
			cur.ID, k.field, k.version); err != nil {
			return err
		}
	}
	return nil
}

// losesNothing reports whether a losing version's value is the one being
// replaced or the one being written.
func (tx *Tx) losesNothing(cur *Record, ch *Change, k versionKey) (bool, error) {
	old, err := tx.changeAt(k.version)
	if err != nil || old == nil {
		return false, err
	}
	v := old.Fields[k.field]
	return v == cur.Fields[k.field] || v == ch.Fields[k.field], nil
}

// losersOf lists the open field conflicts of one record.
func (tx *Tx) losersOf(id string) ([]versionKey, error) {
	rows, err := tx.q().QueryContext(tx.ctx, "SELECT field, version FROM merge_versions WHERE entity_id = ? AND state = ?", id, stateLoser)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []versionKey
	for rows.Next() {
		var k versionKey
		if err := rows.Scan(&k.field, &k.version); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// archiveAfterLocal updates the archive conflict of a record a local edit
// changes, as a replica receiving the edit will compute it.
func (tx *Tx) archiveAfterLocal(cur *Record, ch *Change) error {
	if _, ok := ch.Fields[FieldArchived]; ok {
		// Restored, or archived having seen everything: no conflict.
		if cur.Archived {
			return tx.deleteArchiveConflict(cur.ID)
		}
		return nil
	}
	if !cur.Archived {
		return nil
	}
	after := *cur
	after.Versions = make(map[string]string, len(cur.Versions)+len(ch.Fields))
	for f, v := range cur.Versions {
		after.Versions[f] = v
	}
	for f := range ch.Fields {
		after.Versions[f] = ch.Version().String()
	}
	_, err := tx.refreshArchiveConflict(&after, true)
	return err
}
