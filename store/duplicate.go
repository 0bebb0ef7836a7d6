package store

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"rehabdesk/internal/i18n"
)

// ErrCombineSelf and ErrCombineKind refuse combining what cannot be one person.
var (
	ErrCombineSelf = i18n.NewError("merge.error.same_person", "cannot combine a person into themselves")
	ErrCombineKind = i18n.NewError("merge.error.not_persons", "only two live persons can be combined")
)

// DuplicatePair is two persons with the same ID number, typically registered
// on two devices while offline. Keep is the one CombinePersons should keep by
// default (the smallest live id, so every device suggests the same).
//
// Drop is live, or archived but still holding live records: a visit logged
// for a person while another device combined that person away. Combining again
// moves those records to Keep.
type DuplicatePair struct {
	Keep, Drop   string
	DropArchived bool     // Drop is archived; only its remaining records move
	Differs      []string // fields both have filled in with different values
}

// DuplicatePairs lists the persons that share an ID number with a live one,
// as pairs of the kept person with each other one.
func (s *Store) DuplicatePairs(ctx context.Context) ([]DuplicatePair, error) {
	groups, err := s.duplicateGroups(ctx)
	if err != nil {
		return nil, err
	}
	var out []DuplicatePair
	for _, g := range groups {
		for _, m := range g[1:] {
			p, ok, err := s.describePair(ctx, g[0].id, m.id)
			if err != nil {
				return nil, err
			}
			if ok {
				p.DropArchived = m.archived
				out = append(out, p)
			}
		}
	}
	return out, nil
}

// dupMember is one person of a duplicate group.
type dupMember struct {
	id       string
	archived bool
}

// duplicateGroups returns the persons sharing a natural key with a live
// person: live ones first by id, then archived ones with live records;
// groups of one are left out.
func (s *Store) duplicateGroups(ctx context.Context) ([][]dupMember, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.natural_key, p.id, p.archived FROM records p
		WHERE p.kind = 'person' AND p.natural_key IN (
			SELECT natural_key FROM records WHERE kind = 'person' AND archived = 0 AND natural_key <> '')
		AND (p.archived = 0 OR EXISTS (
			SELECT 1 FROM records c WHERE c.person_id = p.id AND c.kind <> 'person' AND c.archived = 0))
		ORDER BY p.natural_key, p.archived, p.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byKey := map[string][]dupMember{}
	for rows.Next() {
		var nk string
		var m dupMember
		if err := rows.Scan(&nk, &m.id, &m.archived); err != nil {
			return nil, err
		}
		byKey[nk] = append(byKey[nk], m)
	}
	groups := make([][]dupMember, 0, len(byKey))
	for _, g := range byKey {
		if len(g) > 1 {
			groups = append(groups, g)
		}
	}
	sort.Slice(groups, func(i, j int) bool { return groups[i][0].id < groups[j][0].id })
	return groups, rows.Err()
}

func (s *Store) describePair(ctx context.Context, keep, drop string) (DuplicatePair, bool, error) {
	k, err := s.getRecord(ctx, s.db, keep)
	if err != nil {
		return DuplicatePair{}, false, err
	}
	d, err := s.getRecord(ctx, s.db, drop)
	if err != nil {
		return DuplicatePair{}, false, err
	}
	if !s.mayRead(k) || !s.mayRead(d) {
		return DuplicatePair{}, false, nil
	}
	_, differs := personCombine(k, d)
	return DuplicatePair{Keep: keep, Drop: drop, Differs: differs}, true, nil
}

// personCombine compares two persons' typed fields: those only drop has filled
// in (to copy to keep) and those both have with different values.
func personCombine(keep, drop *Record) (fill map[string]string, differs []string) {
	fill = map[string]string{}
	for _, f := range SpecOf(KindPerson).Fields {
		kv, dv := keep.Fields[f.Name], drop.Fields[f.Name]
		switch {
		case f.Derived || dv == "" || kv == dv:
		case kv == "":
			fill[f.Name] = dv
		default:
			differs = append(differs, f.Name)
		}
	}
	return fill, differs
}

// CombinePersons makes one person of two: every record of drop (visits, tests,
// measures... archived ones too) is re-linked to keep, fields only drop has
// filled in are copied to keep, values that differ are appended to keep's
// notes as "[merge <drop id>] field=value; ...", and drop is archived (never
// erased: its history and values stay). Every step is an ordinary edit that
// syncs. Combining into keep an archived drop (combined before, while another
// device still added records to it) only re-links its records.
func (s *Store) CombinePersons(ctx context.Context, keep, drop string) error {
	if keep == drop {
		return ErrCombineSelf
	}
	return s.Update(ctx, func(tx *Tx) error { return tx.CombinePersons(keep, drop) })
}

// CombinePersons is Store.CombinePersons inside a transaction.
func (tx *Tx) CombinePersons(keep, drop string) error {
	k, d, err := tx.combinePair(keep, drop)
	if err != nil {
		return err
	}
	if err := tx.relink(drop, keep); err != nil {
		return err
	}
	if d.Archived {
		return nil // combined (or closed) before: its values were dealt with then
	}
	fill, differs := personCombine(k, d)
	if note := combineNote(d, differs); note != "" {
		notes, ok := fill["notes"]
		if !ok {
			notes = k.Fields["notes"]
		}
		fill["notes"] = strings.TrimSpace(notes + "\n" + note)
	}
	if err := tx.write(k, fill); err != nil {
		return err
	}
	return tx.SetArchived(drop, true)
}

// combinePair loads and checks the two persons to combine.
func (tx *Tx) combinePair(keep, drop string) (*Record, *Record, error) {
	if keep == drop {
		return nil, nil, ErrCombineSelf
	}
	k, err := tx.s.getRecord(tx.ctx, tx.tx, keep)
	if err != nil {
		return nil, nil, err
	}
	d, err := tx.s.getRecord(tx.ctx, tx.tx, drop)
	if err != nil {
		return nil, nil, err
	}
	if k.Kind != KindPerson || d.Kind != KindPerson || k.Archived {
		return nil, nil, ErrCombineKind
	}
	if tx.s.Session().Role != "officer" {
		return nil, nil, ErrForbidden
	}
	// Either file may have moved to another township since the pair was
	// shown: merging would carry this township's records after it.
	for _, r := range []*Record{k, d} {
		if err := tx.refuseAway(r, nil); err != nil {
			return nil, nil, err
		}
	}
	return k, d, nil
}

// relink moves every record of one person to another.
func (tx *Tx) relink(from, to string) error {
	ids, err := tx.personRecordIDs(from)
	if err != nil {
		return err
	}
	for _, id := range ids {
		r, err := tx.s.getRecord(tx.ctx, tx.tx, id)
		if err != nil {
			return err
		}
		if err := tx.write(r, map[string]string{"person": to}); err != nil {
			return err
		}
	}
	tx.touched[from] = true
	return nil
}

// personRecordIDs lists the records attached to a person (not the person),
// archived ones included.
func (tx *Tx) personRecordIDs(person string) ([]string, error) {
	return queryStrings(tx.ctx, tx.tx, "SELECT id FROM records WHERE person_id = ? AND kind <> 'person' ORDER BY id", person)
}

// combineNote records drop's differing values in keep's notes, so that none
// is lost from the file the officer reads.
func combineNote(drop *Record, differs []string) string {
	var parts []string
	for _, f := range differs {
		if f == "notes" {
			continue // appended whole below
		}
		parts = append(parts, f+"="+drop.Fields[f])
	}
	note := ""
	if len(parts) > 0 {
		note = fmt.Sprintf("[merge %s] %s", drop.ID, strings.Join(parts, "; "))
	}
	if n := drop.Fields["notes"]; n != "" && slices.Contains(differs, "notes") {
		note = strings.TrimSpace(note + "\n" + fmt.Sprintf("[merge %s notes] %s", drop.ID, n))
	}
	return note
}
