package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"rehabdesk/sync/wire"
)

// A pull names the feed entry at the device's cursor, which may be another
// township's: the mark must not let a device check guesses of that
// township's devices and clock readings (found by a hand-made attack).
func TestPullMarkTellsNothingOfAnotherTownshipsFeed(t *testing.T) {
	h := newHostile(t)
	rows, err := h.srv.db.QueryContext(context.Background(), "SELECT township, hlc, device FROM changes WHERE township = ?", townB)
	if err != nil {
		t.Fatal(err)
	}
	guessable := map[string]bool{}
	for rows.Next() {
		var town, hlc, dev string
		if err := rows.Scan(&town, &hlc, &dev); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(town + "\x00" + hlc + "\x00" + dev))
		guessable[hex.EncodeToString(sum[:8])] = true
	}
	if err := rows.Close(); err != nil || len(guessable) == 0 {
		t.Fatalf("B's changes: %d, %v", len(guessable), err)
	}
	marks := 0
	for cursor := int64(1); cursor <= 6; cursor++ {
		var rep wire.PullReply
		if st := h.post(wire.PathPull, h.tokA, wire.TypePullRequest, wire.PullRequest{Cursor: cursor},
			wire.TypePullReply, &rep); st != 200 {
			t.Fatalf("pull at %d: HTTP %d", cursor, st)
		}
		if rep.Mark != "" {
			marks++
		}
		if guessable[rep.Mark] {
			t.Fatalf("the mark at cursor %d is an unkeyed hash of a change of township B", cursor)
		}
	}
	if marks == 0 {
		t.Fatal("no pull carried a mark: the test checks nothing")
	}
}
