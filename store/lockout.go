package store

import "maps"

// Second line of defence (issue 12): whatever the county server lets
// through, a device never merges a remote account change that would leave
// it with no account able to sign in here (a live account record with a key
// slot on this device), or that would take away the last such officer.
// Such a change — a disable, an archive, a rename, a demotion, or a new
// record reusing a user name — is refused and reported
// (ApplyStats.Refused); the rest of the batch merges. An officer who has
// really left a township is cut off at the county server (countyd revoke),
// not by locking the laptop.

// lockoutReason is the reason given for a refused change.
const lockoutReason = "would leave this device without a usable officer sign-in"

// signIns sums up who can sign in here: users with a key slot and a live,
// enabled account record, and how many of them are officers.
type signIns struct{ users, officers int }

// accountState is every account record by id, as far as it decides
// sign-ins (user name, role, disabled, archived), with field versions.
type accountState map[string]accountFields

type accountFields struct{ values, versions map[string]string }

func (a accountState) signIns(slots map[string]bool) signIns {
	type user struct{ live, disabled, notOfficer bool }
	users := map[string]*user{}
	for _, r := range a {
		f := r.values
		name := normUser(f["username"])
		if f[FieldArchived] == "1" || !slots[name] {
			continue
		}
		u := users[name]
		if u == nil {
			u = &user{}
			users[name] = u
		}
		u.live = true
		u.disabled = u.disabled || f["disabled"] == "1"
		u.notOfficer = u.notOfficer || f["role"] != "officer"
	}
	var s signIns
	for _, u := range users {
		if u.live && !u.disabled {
			s.users++
			if !u.notOfficer {
				s.officers++
			}
		}
	}
	return s
}

// apply overlays a change on the record it names as merging it would: a
// field takes the change's value where the change's version is the newer.
func (a accountState) apply(c *Change) accountState {
	out := maps.Clone(a)
	r := accountFields{values: maps.Clone(a[c.EntityID].values), versions: maps.Clone(a[c.EntityID].versions)}
	if r.values == nil {
		r = accountFields{values: map[string]string{}, versions: map[string]string{}}
	}
	v := c.Version().String()
	for f, val := range c.Fields {
		if v > r.versions[f] {
			r.values[f], r.versions[f] = val, v
		}
	}
	out[c.EntityID] = r
	return out
}

// locksOut reports whether merging the change would lose a sign-in this
// device needs.
func locksOut(before, after signIns) bool {
	return (before.users > 0 && after.users == 0) || (before.officers > 0 && after.officers == 0)
}

// holdLockouts splits a batch into the changes to merge and the account
// changes refused because they would lock this device out.
func (tx *Tx) holdLockouts(changes []*Change) (keep []*Change, refused []*BadChangeError, err error) {
	if !hasKind(changes, KindAccount) {
		return changes, nil, nil
	}
	state, slots, err := tx.accountState()
	if err != nil {
		return nil, nil, err
	}
	keep = changes[:0:0]
	for _, c := range changes {
		if c != nil && c.Kind == KindAccount {
			next := state.apply(c)
			if locksOut(state.signIns(slots), next.signIns(slots)) {
				refused = append(refused, &BadChangeError{Version: c.Version().String(), EntityID: c.EntityID, Reason: lockoutReason})
				continue
			}
			state = next
		}
		keep = append(keep, c)
	}
	return keep, refused, nil
}

func hasKind(changes []*Change, k Kind) bool {
	for _, c := range changes {
		if c != nil && c.Kind == k {
			return true
		}
	}
	return false
}

// accountState reads every account record (archived too: a change may
// bring one back) and the user names with a key slot here.
func (tx *Tx) accountState() (accountState, map[string]bool, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, "SELECT "+recordColumns+" FROM records WHERE kind = ?", string(KindAccount))
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	state := accountState{}
	for rows.Next() {
		r, err := tx.s.scanRecord(tx.seal, rows)
		if err != nil {
			return nil, nil, err
		}
		state[r.ID] = accountFields{values: r.Fields, versions: r.Versions}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	slots := map[string]bool{}
	names, err := tx.tx.QueryContext(tx.ctx, "SELECT username FROM keyslots")
	if err != nil {
		return nil, nil, err
	}
	defer names.Close()
	for names.Next() {
		var u string
		if err := names.Scan(&u); err != nil {
			return nil, nil, err
		}
		slots[u] = true
	}
	return state, slots, names.Err()
}
