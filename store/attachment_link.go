package store

import (
	"database/sql"
	"errors"
)

// foreignEventReason is the BadChangeError reason of a remote attachment
// change linking to a record that is not an event of its person.
const foreignEventReason = "attachment linked to a record that is not an event of its person"

// refuseForeignEvents splits off remote attachment changes whose "event"
// names a record this device holds (or merges in the same batch) that is
// not an event of the attachment's own person: the county server refuses
// them, and a device does not take one from a server that let it through.
// An event not held here cannot be judged and is left to the server.
func (tx *Tx) refuseForeignEvents(changes []*Change) (keep []*Change, refused []*BadChangeError, err error) {
	if !hasKind(changes, KindAttachment) {
		return changes, nil, nil
	}
	batch := map[string]*Change{}
	keep = changes[:0:0]
	for _, c := range changes {
		if c == nil {
			keep = append(keep, c)
			continue
		}
		if batch[c.EntityID] == nil {
			batch[c.EntityID] = c
		}
		ok, err := tx.eventOfOwnPerson(c, batch)
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			refused = append(refused, &BadChangeError{Version: c.Version().String(), EntityID: c.EntityID, Reason: foreignEventReason})
			continue
		}
		keep = append(keep, c)
	}
	return keep, refused, nil
}

// eventOfOwnPerson reports whether an attachment change's event, when
// named and known here, is an event record of the attachment's person.
func (tx *Tx) eventOfOwnPerson(c *Change, batch map[string]*Change) (bool, error) {
	event := c.Fields["event"]
	if c.Kind != KindAttachment || event == "" {
		return true, nil
	}
	var kind, person string
	err := tx.q().QueryRowContext(tx.ctx, "SELECT kind, person_id FROM records WHERE id = ?", event).Scan(&kind, &person)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		b := batch[event]
		if b == nil {
			return true, nil
		}
		kind, person = string(b.Kind), b.PersonID
	case err != nil:
		return false, err
	}
	return IsEventKind(Kind(kind)) && person == c.PersonID, nil
}
