package store

import (
	"context"
	"fmt"
)

// RowError is a batch row that could not be saved: Row counts from 0 and
// Err says why (a validation error, a person moved to another township).
type RowError struct {
	Row int
	Err error
}

func (e *RowError) Error() string { return fmt.Sprintf("row %d: %v", e.Row+1, e.Err) }

// Unwrap gives the row's own error, whose message key the GUI shows.
func (e *RowError) Unwrap() error { return e.Err }

// AddEvents saves a batch of new records of one kind (a test day's results,
// a visit round) in one transaction, each as its own record with its own
// audit entry. A failure at any row keeps none of them, so that the
// officer can fix that row and save the same batch again. It returns the
// new ids in the order of rows.
func (s *Store) AddEvents(ctx context.Context, kind Kind, rows []map[string]string) ([]string, error) {
	ids := make([]string, len(rows))
	err := s.Update(ctx, func(tx *Tx) error {
		for i, row := range rows {
			id, err := tx.Put(kind, "", row)
			if err == nil {
				err = tx.Audit(ActionRecord, id, AuditDetail(AuditRecordAdd, string(kind)))
			}
			if err != nil {
				return &RowError{Row: i, Err: err}
			}
			ids[i] = id
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}
