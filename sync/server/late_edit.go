package server

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"rehabdesk/store"
)

// ReasonTransferred refuses a device's edit of a person who left its
// township, made after it could know of it.
const ReasonTransferred = "transferred_away"

// lateEditWindow bounds how long after a transfer the township the
// person left may still send edits made before it learnt of it: a laptop
// offline longer loses those, and a device that never pulls cannot write
// into another township's file for ever.
const lateEditWindow = 30 * 24 * time.Hour

// departure is when a person left a township, as the server saw it: the
// transfer's arrival (unix ms) and its position in that township's feed.
type departure struct {
	belonged bool
	at, seq  int64
}

func loadDeparture(ctx context.Context, tx *ptx, person, township string) (departure, error) {
	dep := departure{belonged: true}
	err := tx.queryRow("SELECT left_at, left_seq FROM person_townships WHERE person_id = ? AND township = ?",
		person, township).Scan(&dep.at, &dep.seq)
	if errors.Is(err, sql.ErrNoRows) {
		return departure{}, nil
	}
	return dep, err
}

// lateEditInTime: a device of the township a person left may still send
// changes of their file made before it knew: stamped before the transfer
// reached the server, or sent while the device has not yet pulled past the
// transfer (its store refuses edits of the person once it has) — and only
// within lateEditWindow of the transfer. A stamp is the device's claim;
// a late one is believed only from a device that cannot have known.
func (s *Server) lateEditInTime(ctx context.Context, tx *ptx, d *device, c *store.Change, dep departure) error {
	if !s.now().Before(time.UnixMilli(dep.at).Add(lateEditWindow)) {
		return rejection(ReasonTransferred)
	}
	if c.HLC.Wall < dep.at {
		return nil
	}
	knows, err := knowsOfDeparture(ctx, tx, d, dep)
	if err != nil || !knows {
		return err
	}
	return rejection(ReasonTransferred)
}

// knowsOfDeparture: the device made the transfer, or has pulled past it.
func knowsOfDeparture(ctx context.Context, tx *ptx, d *device, dep departure) (bool, error) {
	var n int
	err := tx.queryRow(`SELECT count(*) FROM devices d WHERE d.id = ? AND (d.pulled_through >= ?
		OR EXISTS (SELECT 1 FROM feed f JOIN changes c ON c.id = f.change_id WHERE f.seq = ? AND c.device = d.id))`,
		d.ID, dep.seq, dep.seq).Scan(&n)
	return n > 0, err
}

// noteDeparture records that a person left a township with the change fed
// to it as id.
func (s *Server) noteDeparture(ctx context.Context, tx *ptx, person, township string, id int64) error {
	return tx.exec(`UPDATE person_townships SET left_at = ?,
		left_seq = (SELECT seq FROM feed WHERE township = ? AND change_id = ?) WHERE person_id = ? AND township = ?`,
		s.now().UnixMilli(), township, id, person, township)
}

// notePulled records how far a device has merged its feed: a pull (or an
// exchange file) asks for what follows the device's cursor, so everything
// up to it has reached the device. What the server sends is not counted:
// a reply may be lost on the way.
func (s *Server) notePulled(ctx context.Context, d *device, cursor int64) error {
	_, err := s.db.ExecContext(ctx, "UPDATE devices SET pulled_through = ? WHERE id = ? AND pulled_through < ?", cursor, d.ID, cursor)
	return err
}
