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

// A bulk writer's commits leave the checkpoints to its other connection;
// the WAL still starts over once it passes bulkWALPages, and Close leaves
// every page copied.
func TestBulkWriterKeepsTheWALBounded(t *testing.T) {
	defer func(n int) { bulkWALPages = n }(bulkWALPages)
	bulkWALPages = 40
	s := newTestStore(t)
	ctx := context.Background()
	b, err := s.BeginBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Repeat("家属配合，按时尿检。", 300) // about 9 KB: a page or two per person
	written := 0
	for i := range 60 {
		err := b.Update(ctx, func(tx *Tx) error {
			_, err := tx.Put(KindPerson, "", map[string]string{"name": "张三", "notes": notes,
				"id_number": idWithCheck("5201021990010" + string(rune('1'+i/10)) + string(rune('0'+i%10)) + "12")})
			return err
		})
		if err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
		written++
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	frames, copied := walFrames(t, s)
	if frames != copied {
		t.Errorf("after Close %d of %d WAL frames are copied, want all", copied, frames)
	}
	// Each write added a few frames (more than 120 in all): had the WAL
	// never started over, it would hold them all.
	if frames > 2*bulkWALPages {
		t.Errorf("the WAL holds %d frames after %d writes, want it started over past %d", frames, written, bulkWALPages)
	}
	persons, err := s.List(ctx, KindPerson, ListFilter{})
	if err != nil || len(persons) != written {
		t.Fatalf("%d persons stored (%v), want %d", len(persons), err, written)
	}
}
