package store

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// What was typed survives closing the database (as after a power cut), is
// sealed on disk, belongs to its user, and is gone once dropped.
func TestDraftSurvivesRestartSealedAndPerUser(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	s := newTestStoreAt(t, path, nil)
	typed := map[string]string{"name": "阿依古丽", "id_number": "5201021990"}
	if err := s.SaveDraft(ctx, "person:new", typed); err != nil {
		t.Fatal(err)
	}
	if err := s.AddAccount(ctx, "second", "another-pass", "officer", "", fastKDF); err != nil {
		t.Fatal(err)
	}
	s.Close()
	b, _ := os.ReadFile(path + "-wal")
	b2, _ := os.ReadFile(path)
	if bytes.Contains(append(b, b2...), []byte("阿依古丽")) {
		t.Fatal("draft is readable in the database file")
	}

	s = reopen(t, path)
	got, _, ok, err := s.Draft(ctx, "person:new")
	if err != nil || !ok || got["name"] != "阿依古丽" || got["id_number"] != "5201021990" {
		t.Fatalf("draft after restart: %v %v %v", got, ok, err)
	}
	s.Lock()
	if err := s.Unlock(ctx, "second", "another-pass"); err != nil {
		t.Fatal(err)
	}
	if _, _, ok, err := s.Draft(ctx, "person:new"); err != nil || ok {
		t.Fatal("another user sees the draft", err)
	}
	s.Lock()
	if err := s.Unlock(ctx, "officer", "secret-pass"); err != nil {
		t.Fatal(err)
	}
	if err := s.DropDraft(ctx, "person:new"); err != nil {
		t.Fatal(err)
	}
	if _, _, ok, err := s.Draft(ctx, "person:new"); err != nil || ok {
		t.Fatal("dropped draft still there", err)
	}
}
