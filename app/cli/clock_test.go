package cli

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
	"rehabdesk/sync/client"
	"rehabdesk/sync/server"
)

// A device whose changes arrive stamped in 2200 (through a server of an
// older release, which let them in) is named in the sync summary and in
// sync --status, so the officer can have its clock checked.
func TestSyncNamesTheDeviceWhoseClockIsWrong(t *testing.T) {
	ctx := context.Background()
	srv, err := server.Open(ctx, filepath.Join(t.TempDir(), "county.db"), server.Options{MaxClockAhead: 250 * 365 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.AddTownship(ctx, "520102016")
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	future := func() time.Time { return time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC) }
	wrong, err := store.Create(ctx, filepath.Join(t.TempDir(), "w.db"), "520102016", "officer", "secret-pass",
		store.Options{KDF: storetest.FastKDF, Now: future})
	if err != nil {
		t.Fatal(err)
	}
	defer wrong.Close()
	code, err := srv.NewEnrollCode(ctx, "520102016", false, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	opt := client.Options{Retries: -1, Now: future, MaxClockAhead: 250 * 365 * 24 * time.Hour}
	if _, err := client.Enroll(ctx, wrong, hs.URL, code, "", opt); err != nil {
		t.Fatal(err)
	}
	wrong.Put(ctx, store.KindStaff, "", map[string]string{"name": "赵七", "role": "officer"})
	if _, err := client.Sync(ctx, wrong, nil, opt); err != nil {
		t.Fatal(err)
	}
	db := syncDB(t, "520102016")
	if code, err = srv.NewEnrollCode(ctx, "520102016", false, time.Hour); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "enroll", "--db", db, "--server", hs.URL, "--code", code)
	for _, args := range [][]string{{"sync", "--db", db}, {"sync", "--db", db, "--status"}} {
		if out := mustRun(t, args...); !strings.Contains(out, "Warning: device "+wrong.Device()+" has a clock about") {
			t.Fatalf("%v said %q", args, out)
		}
	}
}
