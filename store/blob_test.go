package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
)

// A half-received attachment (a scanned agreement) must not sit on disk in
// clear while the rest of it is still on the way.
func TestPartlyReceivedAttachmentIsSealedOnDisk(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	s := newTestStoreAt(t, path, nil)
	content := bytes.Repeat([]byte("社区戒毒协议书 张三 520102199001011234 "), 200)
	sum := sha256.Sum256(content)
	hash := hex.EncodeToString(sum[:])
	half := int64(len(content) / 2)
	if err := s.AddBlobChunk(ctx, hash, 0, int64(len(content)), content[:half]); err != nil {
		t.Fatal(err)
	}
	if got, err := s.BlobProgress(ctx, hash); err != nil || got != half {
		t.Fatalf("progress %d, want %d (error %v)", got, half, err)
	}
	s.Close()
	for _, f := range []string{path, path + "-wal"} {
		b, _ := os.ReadFile(f)
		if bytes.Contains(b, []byte("520102199001011234")) {
			t.Fatalf("%s holds the partial attachment in clear", filepath.Base(f))
		}
	}
	s = reopen(t, path)
	if err := s.AddBlobChunk(ctx, hash, half, int64(len(content)), content[half:]); err != nil {
		t.Fatal(err)
	}
	got, err := s.Blob(ctx, hash)
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("reassembled blob differs (err %v)", err)
	}
}

func reopen(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Unlock(context.Background(), "officer", "secret-pass"); err != nil {
		t.Fatal(err)
	}
	return s
}
