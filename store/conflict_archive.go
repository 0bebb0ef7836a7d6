package store

import (
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
)

// refreshArchiveConflict recomputes a record's "edited while archived"
// conflict from its state: an archived record conflicts when a field has a
// version newer than what the archive change had seen. It reports whether
// the conflict is new.
func (tx *Tx) refreshArchiveConflict(r *Record, wasArchived bool) (bool, error) {
	if !r.Archived {
		if wasArchived {
			return false, tx.deleteArchiveConflict(r.ID)
		}
		return false, nil
	}
	edit, fields, err := tx.unseenEdits(r)
	if err != nil {
		return false, err
	}
	var old string
	err = tx.tx.QueryRowContext(tx.ctx, "SELECT edit_version FROM merge_archive WHERE entity_id = ?", r.ID).Scan(&old)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	if edit == "" {
		if old != "" {
			return false, tx.deleteArchiveConflict(r.ID)
		}
		return false, nil
	}
	_, err = tx.tx.ExecContext(tx.ctx, `INSERT INTO merge_archive(entity_id, archive_version, edit_version, fields) VALUES(?,?,?,?)
		ON CONFLICT(entity_id) DO UPDATE SET archive_version=excluded.archive_version, edit_version=excluded.edit_version, fields=excluded.fields`,
		r.ID, r.Versions[FieldArchived], edit, strings.Join(fields, ","))
	if err != nil {
		return false, fmt.Errorf("save archive conflict: %w", err)
	}
	return old == "", nil
}

func (tx *Tx) deleteArchiveConflict(id string) error {
	_, err := tx.tx.ExecContext(tx.ctx, "DELETE FROM merge_archive WHERE entity_id = ?", id)
	return err
}

// unseenEdits lists the fields of an archived record whose current version
// the archive change had not seen, and the newest such version.
func (tx *Tx) unseenEdits(r *Record) (string, []string, error) {
	archive := r.Versions[FieldArchived]
	seen, ok, err := tx.seenBy(archive)
	if err != nil {
		return "", nil, err
	}
	var newest string
	var fields []string
	for f, v := range r.Versions {
		if f == FieldArchived || f == FieldTownship || isDerived(r.Kind, f) {
			continue
		}
		limit := seen[f]
		if !ok {
			limit = archive // archived by an older build: order by clock
		}
		if v > limit {
			fields = append(fields, f)
			newest = max(newest, v)
		}
	}
	sort.Strings(fields)
	return newest, fields, nil
}

// seenBy reads what an archive change had seen; ok is false when the change
// carries no such list.
func (tx *Tx) seenBy(version string) (map[string]string, bool, error) {
	if err := tx.flushPending(); err != nil {
		return nil, false, err
	}
	h, dev, _ := strings.Cut(version, "@")
	chs, err := tx.s.queryChanges(tx.ctx, tx.tx, "WHERE hlc = ? AND device = ?", h, dev)
	if err != nil || len(chs) == 0 {
		return nil, false, err
	}
	entries, ok := chs[0].Bases[BaseSeen]
	if !ok {
		return nil, false, nil
	}
	seen, err := parseSeen(entries)
	return seen, err == nil, nil
}

// formatSeen encodes field versions as "version=field,field" entries, one per
// version: a record's fields mostly share a few versions.
func formatSeen(versions map[string]string) []string {
	byVersion := map[string][]string{}
	for f, v := range versions {
		if v != "" {
			byVersion[v] = append(byVersion[v], f)
		}
	}
	out := make([]string, 0, len(byVersion))
	for _, v := range slices.Sorted(maps.Keys(byVersion)) {
		fs := byVersion[v]
		sort.Strings(fs)
		out = append(out, v+"="+strings.Join(fs, ","))
	}
	return out
}

// parseSeen decodes formatSeen into field -> version.
func parseSeen(entries []string) (map[string]string, error) {
	seen := map[string]string{}
	for _, e := range entries {
		v, fs, ok := strings.Cut(e, "=")
		if _, err := ParseVersion(v); !ok || err != nil || v == "" || fs == "" {
			return nil, fmt.Errorf("invalid seen entry %q", e)
		}
		for _, f := range strings.Split(fs, ",") {
			seen[f] = v
		}
	}
	return seen, nil
}

// seenAfter is what an archive change sees: the record's versions and its
// own fields at its own version.
func seenAfter(cur *Record, ch *Change) map[string]string {
	seen := make(map[string]string, len(cur.Versions)+len(ch.Fields))
	for f, v := range cur.Versions {
		seen[f] = v
	}
	for f := range ch.Fields {
		seen[f] = ch.Version().String()
	}
	delete(seen, FieldArchived)
	return seen
}
