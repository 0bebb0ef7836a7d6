package store

import (
	"context"
	"fmt"

	"rehabdesk/assets"
)

// TransferPerson moves a person and every record of their file to another
// township (戒毒条例 art. 22: the person moves; their file follows). It sets
// the reserved field "_township" on each record, an ordinary versioned edit:
// the county server routes every record by its current township, so the new
// township receives the whole history, and edits made meanwhile on the old
// township's devices still merge into it.
func (s *Store) TransferPerson(ctx context.Context, personID, toTownship string) error {
	if _, ok := assets.Township(toTownship); !ok {
		return fmt.Errorf("%w: %q", ErrUnknownTown, toTownship)
	}
	return s.Update(ctx, func(tx *Tx) error { return tx.TransferPerson(personID, toTownship) })
}

// TransferPerson is Store.TransferPerson inside a transaction.
func (tx *Tx) TransferPerson(personID, toTownship string) error {
	p, err := tx.s.getRecord(tx.ctx, tx.tx, personID)
	if err != nil {
		return err
	}
	if p.Kind != KindPerson {
		return fmt.Errorf("record %s is a %s, not a person", personID, p.Kind)
	}
	if !tx.s.mayWrite(KindPerson, p, nil) {
		return ErrForbidden
	}
	if err := tx.refuseAway(p, nil); err != nil {
		return err // moved on already
	}
	ids, err := tx.personRecordIDs(personID)
	if err != nil {
		return err
	}
	for _, id := range append([]string{personID}, ids...) {
		r, err := tx.s.getRecord(tx.ctx, tx.tx, id)
		if err != nil {
			return err
		}
		if r.Township != toTownship || r.Fields[FieldTownship] != toTownship {
			if err := tx.write(r, map[string]string{FieldTownship: toTownship}); err != nil {
				return err
			}
		}
	}
	// From the commit on, this device hides the file if it does not serve
	// the new township (transfer_away.go).
	return tx.settleTransfer(personID)
}
