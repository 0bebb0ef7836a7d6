package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// FullTime reports whether the role counts in the staffing ratio: the
// township's own workers (禁毒专干 and 社工), not police or doctors.
func FullTime(role string) bool { return role == "officer" || role == "social_worker" }

// VillageCodes splits a staff record's villages field.
func VillageCodes(v string) []string {
	if v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

// Roster lists the township's staff records, oldest first.
func (s *Store) Roster(ctx context.Context) ([]*Record, error) {
	return s.List(ctx, KindStaff, ListFilter{})
}

// AddStaff creates a staff record from its fields; a new member is active.
func (s *Store) AddStaff(ctx context.Context, fields map[string]string) (string, error) {
	f := make(map[string]string, len(fields)+1)
	for k, v := range fields {
		f[k] = v
	}
	if _, ok := f["active"]; !ok {
		f["active"] = "1"
	}
	return s.Put(ctx, KindStaff, "", f)
}

// ErrNotStaff means the id given as a staff member names no staff record.
var ErrNotStaff = errors.New("no such staff member")

// AssignVillage makes a staff member the 专干 of every live person of a
// village, in one transaction, and adds the village to the ones they
// cover. It returns how many persons changed.
func (s *Store) AssignVillage(ctx context.Context, staffID, village string) (int, error) {
	n := 0
	err := s.Update(ctx, func(tx *Tx) error {
		n = 0
		st, err := tx.Get(staffID)
		if err != nil || st.Kind != KindStaff || st.Archived {
			return fmt.Errorf("%w: %s", ErrNotStaff, staffID)
		}
		codes := VillageCodes(st.Get("villages"))
		if !slices.Contains(codes, village) {
			codes = append(codes, village)
			if _, err := tx.Put(KindStaff, staffID, map[string]string{"villages": strings.Join(codes, ",")}); err != nil {
				return err
			}
		}
		persons, err := tx.livePersons()
		if err != nil {
			return err
		}
		for _, p := range persons {
			if p.Get("village") != village || p.Get("staff") == staffID {
				continue
			}
			if _, err := tx.Put(KindPerson, p.ID, map[string]string{"staff": staffID}); err != nil {
				return err
			}
			n++
		}
		return tx.Audit(ActionRecord, staffID, AuditDetail(AuditAssignVillage, village, strconv.Itoa(n)))
	})
	return n, err
}

// livePersons reads the live persons of the township inside the transaction
// (their village is sealed, so no query can select by it).
func (tx *Tx) livePersons() ([]*Record, error) {
	rows, err := tx.q().QueryContext(tx.ctx, "SELECT "+recordColumns+" FROM records WHERE kind = ? AND archived = 0", string(KindPerson))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Record
	for rows.Next() {
		r, err := tx.s.scanRecord(tx.seal, rows)
		if err != nil {
			return nil, err
		}
		if tx.s.mayRead(r) {
			out = append(out, r)
		}
	}
	return out, rows.Err()
}
