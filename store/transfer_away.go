package store

// Persons transferred away, on the devices of the township they left
// (issue 3, guarantee 6; 戒毒条例 art. 22).
//
// A transfer (TransferPerson) is an ordinary versioned edit of the reserved
// field "_township" on every record of a person's file. The county routes
// the file to the new township and sends the transfer to the old township's
// devices too, so that they know. Once a device has made or merged it, and
// the person's township is not one the device serves, the person is "away"
// there:
//
//   - hidden from every current view: Get, List, LoadAll and EachRecord (so
//     the people list, the alerts, the current figures and the ledger
//     export), search, conflicts, duplicates and the change history. Get and
//     History of the person answer a *TransferredError that names the new
//     township and the date, and Transfers lists those tombstones (only
//     the raw change log, which no screen shows, keeps their changes until
//     the purge);
//   - no longer writable here: an edit or a new event record of the person
//     is refused with the same error (the file belongs to the new township);
//   - erased once that is safe: PurgeTransferred, which the sync client runs
//     after each sync, deletes the file (records, change log, merge state,
//     attachment content, search entry, unsaved forms) as soon as every
//     change of it made on this device has been acknowledged by the county
//     and every attachment added here uploaded, so that edits typed here
//     before the transfer was known still reach the new township. (The
//     audit log, append-only, keeps who viewed and changed the file.)
//     A small tombstone stays (table transfers_out, migration 0009: id, new
//     township, date, sealed name), and changes of the person delivered
//     again later (a late edit from another device of this township, a
//     re-enrolment pulling the feed from the start) are dropped, not merged.
//
// Decision on monthly reports: RecordsAsOf, the as-of replay of the change log,
// counts a person for this township in the months before the transfer and
// not after, as long as the change log is here. After the purge the
// person's history is gone from this device, so a month before the transfer
// regenerated then no longer counts them; the report submitted for that
// month (kept by the county) remains the record of it. We purge rather than
// keep the history hidden because another township's sensitive file should
// not stay on this device (个人信息保护法 art. 28, 戒毒条例 art. 7).
//
// A person transferred back to a township this device serves is no longer
// away: the tombstone goes and their changes merge as usual. The county
// sends a township the whole file of a person who joins it, this device's
// own old changes included (sync/server route.go refeedHistory, pull.go
// refedOwn), since the purge erased them here.
//
// Between the transfer and the purge, registering the person's ID number
// again is refused with the same *TransferredError (checkUnique).
//
// "Served" townships are this database's own; on a county-office device,
// every township of its county.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"rehabdesk/assets"
)

// ErrTransferred means the person's file now belongs to a township this
// device does not serve. The GUI and CLI translate it.
var ErrTransferred = errors.New("person was transferred to another township")

// Transfer is the tombstone of a person transferred away from this device's
// township.
type Transfer struct {
	PersonID string
	Name     string    // the person's name when they left
	To       string    // 9-digit code of the township they went to
	At       time.Time // when the transfer was made
	Purged   bool      // their file has been erased from this device
}

// TransferredError is ErrTransferred for one person.
type TransferredError struct{ Transfer }

// Error names no personal value: error texts end up in logs.
func (e *TransferredError) Error() string {
	return fmt.Sprintf("person %s was transferred to township %s on %s", e.PersonID, e.To, e.At.In(chinaTime).Format("2006-01-02"))
}

// MessageKey names the sentence the GUI and CLI show (translation area
// assets/translations/transfer): who, when, and the new township by name.
func (e *TransferredError) MessageKey() (string, []any) {
	to := e.To
	if d, ok := assets.Township(e.To); ok {
		to = d.Name
	}
	return "transferred.error", []any{e.Name, e.At.In(chinaTime).Format("2006-01-02"), to}
}

// Unwrap makes errors.Is(err, ErrTransferred) hold.
func (e *TransferredError) Unwrap() error { return ErrTransferred }

// Is makes a transferred person also ErrNotFound, what every caller that
// drops a vanished record (the live alerts, the lists) already handles.
func (e *TransferredError) Is(target error) bool { return target == ErrNotFound }

// awaySet is the in-memory copy of transfers_out (without names), which
// every read consults; it is replaced whole, never modified in place.
type awaySet struct {
	own        string // this database's township
	countyWide bool   // a county-office device: every township of the county is served
	persons    map[string]awayEntry
	anyPurged  bool
}

type awayEntry struct {
	to     string
	at     int64 // unix ms
	purged bool
}

// serves reports whether records of township t belong on this device.
func (a awaySet) serves(t string) bool {
	return t == "" || t == a.own || (a.countyWide && assets.CountyOf(t) == assets.CountyOf(a.own))
}

func (a awaySet) has(person string) bool {
	_, ok := a.persons[person]
	return person != "" && ok
}

// serves is awaySet.serves with the county-office fact read now: it may
// have been set (at enrolment) after the set was loaded.
func (tx *Tx) serves(township string) (bool, error) {
	var county []byte
	err := tx.tx.QueryRowContext(tx.ctx, "SELECT value FROM sync_state WHERE key = ?", syncKeyCounty).Scan(&county)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	a := tx.s.awayNow()
	a.countyWide = string(county) == "1"
	return a.serves(township), nil
}

// syncKeyCounty is the sync client's fact that this is a county-office
// device ("1"), written at enrolment (sync/client/state.go keyCounty).
const syncKeyCounty = "county"

// loadAway reads transfers_out.
func (s *Store) loadAway(ctx context.Context) (awaySet, error) {
	a := awaySet{own: s.township, persons: map[string]awayEntry{}}
	county, err := s.SyncState(ctx, syncKeyCounty)
	if err != nil {
		return a, err
	}
	a.countyWide = county == "1"
	rows, err := s.db.QueryContext(ctx, "SELECT person_id, to_township, moved_at, purged_at FROM transfers_out")
	if err != nil {
		return a, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var e awayEntry
		var purged int64
		if err := rows.Scan(&id, &e.to, &e.at, &purged); err != nil {
			return a, err
		}
		e.purged = purged != 0
		a.anyPurged = a.anyPurged || e.purged
		a.persons[id] = e
	}
	return a, rows.Err()
}

// publishAway makes the reads follow transfers_out as committed.
func (s *Store) publishAway(ctx context.Context) error {
	a, err := s.loadAway(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.away = a
	s.mu.Unlock()
	return nil
}

func (s *Store) awayNow() awaySet {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.away
}

// recordPerson is the person whose file a record is part of ("" for staff,
// settings and other township-wide records, which never move).
func recordPerson(r *Record) string {
	if r.Kind == KindPerson {
		return r.ID
	}
	return r.PersonID
}

// changePerson is recordPerson for a change.
func changePerson(c *Change) string {
	if c.Kind == KindPerson {
		return c.EntityID
	}
	return c.PersonID
}

// mayReadAt is mayRead for a record as it stood at a past moment (RecordsAsOf):
// the file of a person transferred away after that moment still counts.
func (s *Store) mayReadAt(r *Record, at time.Time) bool {
	e, ok := s.awayNow().persons[recordPerson(r)]
	if ok && e.at <= at.UnixMilli() {
		return false
	}
	return s.mayReadScoped(r)
}

// hiddenWhy is the error for a record mayRead refused: a volunteer's
// out-of-scope record is not found; a transferred person's says where
// they went.
func (s *Store) hiddenWhy(ctx context.Context, r *Record) error {
	if !s.mayReadScoped(r) {
		return ErrNotFound
	}
	return s.transferredOr(ctx, recordPerson(r), ErrNotFound)
}

// transferredOr returns the *TransferredError of a person away from this
// device, else otherwise. A volunteer learns it only for an assigned person.
func (s *Store) transferredOr(ctx context.Context, person string, otherwise error) error {
	if !s.awayNow().has(person) || !s.inScope(person) {
		return otherwise
	}
	t, err := s.transfer(ctx, s.db, person)
	if errors.Is(err, sql.ErrNoRows) {
		return otherwise // transferred back meanwhile
	}
	if err != nil {
		return err
	}
	return &TransferredError{Transfer: t}
}

// Transfers lists the persons transferred away from this device's township,
// most recent first: the tombstones left where their files were.
func (s *Store) Transfers(ctx context.Context) ([]Transfer, error) {
	var out []Transfer
	for id := range s.awayNow().persons {
		if !s.inScope(id) {
			continue
		}
		t, err := s.transfer(ctx, s.db, id)
		if errors.Is(err, sql.ErrNoRows) {
			continue // transferred back meanwhile
		}
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.After(out[j].At)
		}
		return out[i].PersonID < out[j].PersonID
	})
	return out, nil
}

// transfer reads one tombstone and opens the name.
func (s *Store) transfer(ctx context.Context, q querier, person string) (Transfer, error) {
	seal, err := s.sealerOrErr()
	if err != nil {
		return Transfer{}, err
	}
	t := Transfer{PersonID: person}
	var at, purged int64
	var name []byte
	err = q.QueryRowContext(ctx, "SELECT to_township, moved_at, name, purged_at FROM transfers_out WHERE person_id = ?", person).
		Scan(&t.To, &at, &name, &purged)
	if err != nil {
		return t, err
	}
	plain, err := seal.open(name, transferAD(person))
	if err != nil {
		return t, err
	}
	t.Name, t.At, t.Purged = string(plain), time.UnixMilli(at), purged != 0
	return t, nil
}

func transferAD(person string) []byte { return []byte("transfer:" + person) }

// refuseAway refuses a write to the file of a person transferred away:
// the record's person, or the person a new event record would name.
func (tx *Tx) refuseAway(cur *Record, fields map[string]string) error {
	a := tx.s.awayNow()
	for _, p := range []string{recordPerson(cur), fields["person"]} {
		if a.has(p) {
			t, err := tx.s.transfer(tx.ctx, tx.q(), p)
			if err != nil {
				return err
			}
			return &TransferredError{Transfer: t}
		}
	}
	return nil
}

// settleTransfers updates transfers_out, in the transaction that merged
// changes, for the persons whose files these changes moved between
// townships.
func (tx *Tx) settleTransfers(changes []*Change) error {
	persons := map[string]bool{}
	for _, c := range changes {
		if c == nil {
			continue // malformed, rejected by the merge
		}
		if _, moved := c.Fields[FieldTownship]; moved && changePerson(c) != "" {
			persons[changePerson(c)] = true
		}
	}
	for p := range persons {
		if err := tx.settleTransfer(p); err != nil {
			return err
		}
	}
	return nil
}

// settleTransfer writes or removes a person's tombstone from the township
// of their person record as it now stands. A person not here yet has none:
// their record settles it when it arrives with its "_township" value.
func (tx *Tx) settleTransfer(person string) error {
	p, err := tx.get(person)
	if errors.Is(err, ErrNotFound) || (err == nil && p.Kind != KindPerson) {
		return nil
	}
	if err != nil {
		return err
	}
	tx.awayChanged = true
	served, err := tx.serves(p.Township)
	if err != nil {
		return err
	}
	if served {
		_, err := tx.tx.ExecContext(tx.ctx, "DELETE FROM transfers_out WHERE person_id = ?", person)
		return err
	}
	v, err := ParseVersion(p.Versions[FieldTownship])
	if err != nil {
		return err
	}
	_, err = tx.tx.ExecContext(tx.ctx, `INSERT INTO transfers_out(person_id, to_township, moved_at, name, purged_at) VALUES(?,?,?,?,0)
		ON CONFLICT(person_id) DO UPDATE SET to_township = excluded.to_township, moved_at = excluded.moved_at,
		name = excluded.name, purged_at = 0`,
		person, p.Township, v.HLC.Wall, tx.seal.seal([]byte(p.Fields["name"]), transferAD(person)))
	return err
}
