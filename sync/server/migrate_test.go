package server

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"testing"

	"rehabdesk/internal/pgtest"
	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// A county server moved from its SQLite file to PostgreSQL (countyd
// migrate): its devices carry on without re-enrolling. Their tokens still
// sign in, their cursors and marks still name the same feed entries (no
// "rewound", no new epoch: nothing is sent or read again), the server keeps
// its identity, new changes are numbered after the old ones, and the audit
// log and attachment content come along.
func TestMigrateToPostgresDevicesCarryOn(t *testing.T) {
	ctx := context.Background()
	lite := newTestDB(t, onSQLite)
	marker := filepath.Join(lite.dir, "marker")
	old, err := lite.open(ctx, Options{MarkerFile: marker})
	if err != nil {
		t.Fatal(err)
	}
	f := fixtureFor(t, old)
	tokA, tokB := f.enroll("devA", townA, false), f.enroll("devB", townA, false)
	content := []byte("scanned decision letter")
	f.push(tokA, change("devA", townA, store.KindPerson, "p1", "p1", map[string]string{"name": "张三"}),
		change("devA", townA, store.KindVisit, "v1", "p1", map[string]string{"person": "p1", "notes": "入户"}),
		attachment("devA", townA, "att1", "p1", hashOf(content)))
	f.uploadBlob(tokA, content)
	if rep := f.pushAudit(tokA, entry("devA", townA, store.HLC{Wall: 1_764_400_000_000}.String())); rep.Stored != 1 {
		t.Fatalf("audit push: %+v", rep)
	}
	before := pullOnce(t, f.url, tokB, wire.PullRequest{})
	id, epoch := old.currentGen().ID, old.currentGen().Epoch
	old.Close()

	pgURL := pgtest.Database(t)
	rep, err := CopyToPostgres(ctx, filepath.Join(lite.dir, "c.db"), pgURL)
	if err != nil {
		t.Fatal(err)
	}
	if rep["changes"] != 3 || rep["devices"] != 2 || rep["blobs"] != 1 || rep["audit"] != 1 {
		t.Fatalf("copied %v", rep)
	}
	moved, err := testDB{dir: lite.dir, pg: pgURL}.open(ctx, Options{MarkerFile: marker})
	if err != nil {
		t.Fatal(err)
	}
	f2 := fixtureFor(t, moved)
	t.Cleanup(func() { moved.Close() })
	if id2, epoch2 := moved.currentGen().ID, moved.currentGen().Epoch; id2 != id || epoch2 != epoch {
		t.Fatalf("server %s epoch %s became %s %s: devices would resend everything", id, epoch, id2, epoch2)
	}
	after := pullOnce(t, f2.url, tokB, wire.PullRequest{Cursor: before.Next, Mark: before.Mark})
	if after.Rewound || after.Epoch != epoch || after.Next != before.Next || len(decoded(t, after)) != 0 {
		t.Fatalf("pull from the old cursor after the move: rewound %v, epoch %s, next %d (was %d), %d changes",
			after.Rewound, after.Epoch, after.Next, before.Next, len(decoded(t, after)))
	}
	f2.push(tokA, change("devA", townA, store.KindVisit, "v2", "p1", map[string]string{"person": "p1", "notes": "电话"}))
	next := pullOnce(t, f2.url, tokB, wire.PullRequest{Cursor: after.Next, Mark: after.Mark})
	if cs := decoded(t, next); len(cs) != 1 || cs[0].EntityID != "v2" || next.Next <= before.Next {
		t.Fatalf("new change after the move: %d changes, next %d after %d", len(cs), next.Next, before.Next)
	}
	var audit wire.AuditPullReply
	if st := f2.post(wire.PathAuditPull, tokB, wire.TypeAuditPull, wire.AuditPullRequest{}, wire.TypeAuditPullReply, &audit); st != http.StatusOK || len(audit.Entries) != 1 {
		t.Fatalf("audit after the move: HTTP %d, %d entries", st, len(audit.Entries))
	}
	var blob wire.BlobGetReply
	if st := f2.post(wire.PathBlobGet, tokB, wire.TypeBlobGet, wire.BlobGetRequest{Hash: hashOf(content)}, wire.TypeBlobGetReply, &blob); st != http.StatusOK || string(blob.Data) != string(content) {
		t.Fatalf("attachment after the move: HTTP %d, %q", st, blob.Data)
	}
	if _, err := CopyToPostgres(ctx, filepath.Join(lite.dir, "c.db"), pgURL); !errors.Is(err, ErrTargetNotEmpty) {
		t.Fatalf("second copy into a server's database: %v", err)
	}
}

// pullOnce sends one pull request and returns the reply.
func pullOnce(t *testing.T, url, tok string, req wire.PullRequest) *wire.PullReply {
	t.Helper()
	var rep wire.PullReply
	if err := call(url, wire.PathPull, tok, wire.TypePullRequest, req, wire.TypePullReply, &rep); err != nil {
		t.Fatal(err)
	}
	return &rep
}

func decoded(t *testing.T, rep *wire.PullReply) []*store.Change {
	t.Helper()
	cs, err := rep.Changes.Changes()
	if err != nil {
		t.Fatal(err)
	}
	return cs
}
