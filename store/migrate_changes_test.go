package store

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"rehabdesk/internal/sqlitedb"
)

// pushQueueQueries are the queries that read this device's own changes;
// migration 0010 narrowed the index they use to local rows only.
var pushQueueQueries = map[string]string{
	"LocalChanges":      "SELECT " + changeColumns + " FROM changes WHERE local = 1 AND seq > 0 ORDER BY seq LIMIT 10",
	"CountLocalChanges": "SELECT count(*) FROM changes WHERE local = 1 AND seq > 0",
	"purgeable": `SELECT t.person_id FROM transfers_out t WHERE t.purged_at = 0 AND NOT EXISTS (
		SELECT 1 FROM changes c WHERE c.local = 1 AND c.seq > 0 AND (c.person_id = t.person_id OR c.entity_id = t.person_id))`,
}

// TestLocalChangesIndexUpgrade upgrades a version-9 database holding local
// and merged changes: the push queue still lists exactly the local ones, in
// order, and its queries still search an index rather than scan the log.
func TestLocalChangesIndexUpgrade(t *testing.T) {
	ctx := context.Background()
	db, err := openRaw(filepath.Join(t.TempDir(), "v9.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := sqlitedb.Migrate(ctx, db, migrationsUpTo(t, 9)); err != nil {
		t.Fatal(err)
	}
	var want []int64
	for i := range 200 {
		local := i%3 == 0
		res, err := db.Exec(`INSERT INTO changes(hlc, device, kind, entity_id, township, local, payload)
			VALUES (?, 'd', 'person', ?, 't', ?, x'00')`, HLC{Wall: int64(1000 + i)}.String(), "p"+string(rune('a'+i%26)), local)
		if err != nil {
			t.Fatal(err)
		}
		seq, err := res.LastInsertId()
		if err != nil {
			t.Fatal(err)
		}
		if local && seq > 40 {
			want = append(want, seq)
		}
	}
	if err := sqlitedb.Migrate(ctx, db, migrationFS); err != nil {
		t.Fatal(err)
	}
	var ver int
	if err := db.QueryRow("PRAGMA user_version").Scan(&ver); err != nil {
		t.Fatal(err)
	}
	if ver != SchemaVersion() {
		t.Fatalf("schema %d after upgrade, want %d", ver, SchemaVersion())
	}
	if got := localSeqsAfter(t, db, 40); !slices.Equal(got, want) {
		t.Errorf("push queue after upgrade %v, want %v", got, want)
	}
	for name, q := range pushQueueQueries {
		plan := queryPlan(t, db, q)
		if !strings.Contains(plan, "USING INDEX changes_local") && !strings.Contains(plan, "USING COVERING INDEX changes_local") {
			t.Errorf("%s does not use changes_local:\n%s", name, plan)
		}
	}
}

// migrationsUpTo returns the embedded migrations up to version v.
func migrationsUpTo(t *testing.T, v int) fstest.MapFS {
	t.Helper()
	ms, err := sqlitedb.Load(migrationFS)
	if err != nil {
		t.Fatal(err)
	}
	out := fstest.MapFS{}
	for _, m := range ms {
		if m.Version <= v {
			out["migrations/"+m.Name] = &fstest.MapFile{Data: []byte(m.SQL)}
		}
	}
	if len(out) != v {
		t.Fatalf("%d migrations up to %d", len(out), v)
	}
	return out
}

// localSeqsAfter returns the sequences of the local changes after a
// sequence, in order, as LocalChanges reads them.
func localSeqsAfter(t *testing.T, db querier, after int64) []int64 {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), "SELECT seq FROM changes WHERE local = 1 AND seq > ? ORDER BY seq", after)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var seqs []int64
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, seq)
	}
	return seqs
}

// queryPlan returns the EXPLAIN QUERY PLAN details of q, one per line.
func queryPlan(t *testing.T, db querier, q string) string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, detail)
	}
	return strings.Join(lines, "\n")
}
