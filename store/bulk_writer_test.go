package store

import (
	"context"
	"strings"
	"testing"
)

// walFrames checkpoints what it can and returns the WAL's frames and how
// many of them are copied into the database file.
func walFrames(t *testing.T, s *Store) (frames, copied int) {
	t.Helper()
	var busy int
	if err := s.db.QueryRow("PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied); err != nil {
		t.Fatal(err)
	}
	return frames, copied
}

// sixtyPersons writes 60 persons of about 16 WAL frames each, one
// transaction each, through update.
func sixtyPersons(t *testing.T, update func(context.Context, func(*Tx) error) error) {
	t.Helper()
	notes := strings.Repeat("家属配合，按时尿检。", 300) // about 9 KB
	for i := range 60 {
		err := update(context.Background(), func(tx *Tx) error {
			_, err := tx.Put(KindPerson, "", map[string]string{"name": "张三", "notes": notes,
				"id_number": idWithCheck("5201021990010" + string(rune('1'+i/10)) + string(rune('0'+i%10)) + "12")})
			return err
		})
		if err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
}

// A bulk writer's commits leave the checkpoints to its other connection;
// the WAL still starts over once it passes bulkWALPages (the first
// checkpoints trail the commits, so by how much is a matter of timing),
// and Close leaves every page copied.
func TestBulkWriterKeepsTheWALBounded(t *testing.T) {
	defer func(n int) { bulkWALPages = n }(bulkWALPages)
	bulkWALPages = 40
	ctx := context.Background()
	plain := newTestStore(t)
	sixtyPersons(t, plain.Update)
	all, _ := walFrames(t, plain) // far below the automatic checkpoint: every frame written is still there

	s := newTestStore(t)
	b, err := s.BeginBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sixtyPersons(t, b.Update)
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	frames, copied := walFrames(t, s)
	if frames != copied {
		t.Errorf("after Close %d of %d WAL frames are copied, want all", copied, frames)
	}
	if frames > all/2 {
		t.Errorf("the bulk writer's WAL holds %d frames of the %d written, want it started over past %d", frames, all, bulkWALPages)
	}
	// The WAL file is cut back to walSizeLimit when it starts over, not
	// left at what the import made it.
	var limit string
	if err := s.db.QueryRow("PRAGMA journal_size_limit").Scan(&limit); err != nil || limit != walSizeLimit {
		t.Errorf("journal_size_limit %q (%v), want %s", limit, err, walSizeLimit)
	}
	persons, err := s.List(ctx, KindPerson, ListFilter{})
	if err != nil || len(persons) != 60 {
		t.Fatalf("%d persons stored (%v), want 60", len(persons), err)
	}
}
