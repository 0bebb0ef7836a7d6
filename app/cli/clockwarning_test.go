package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
	"rehabdesk/sync/client"
)

// openSynced opens a database made by syncDB, signed in as its officer.
func openSynced(t *testing.T, db string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), db, store.Options{KDF: storetest.FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Unlock(context.Background(), "officer", "secret-pass"); err != nil {
		st.Close()
		t.Fatal(err)
	}
	return st
}

// Once the officer has had a device's clock corrected, `rehabdesk sync
// --clear-clock-warning` makes the warning go and says whose it was; a
// second run finds none.
func TestSyncClearClockWarning(t *testing.T) {
	ctx := context.Background()
	db := syncDB(t, "520102016")
	st := openSynced(t, db)
	// What a sync that refused the device's changes records (client.noteSkewed).
	warned, _ := json.Marshal([]client.SkewedDevice{{Device: "dev-fast", Ahead: 72 * time.Hour, Refused: 3}})
	if err := st.SetSyncState(ctx, map[string]string{"skewed_devices": string(warned)}); err != nil {
		t.Fatal(err)
	}
	if in, err := client.Status(ctx, st); err != nil || len(in.SkewedDevices) != 1 {
		t.Fatalf("seeded warning not read: %+v (error %v)", in.SkewedDevices, err)
	}
	st.Close()

	if out := mustRun(t, "sync", "--db", db, "--clear-clock-warning"); !strings.Contains(out, "Cleared the clock warning of device dev-fast") {
		t.Fatalf("clear said %q", out)
	}
	st = openSynced(t, db)
	in, err := client.Status(ctx, st)
	st.Close()
	if err != nil || len(in.SkewedDevices) != 0 {
		t.Fatalf("after clearing: %+v (error %v)", in.SkewedDevices, err)
	}
	if out := mustRun(t, "sync", "--db", db, "--clear-clock-warning"); !strings.Contains(out, "No clock warning to clear") {
		t.Fatalf("second clear said %q", out)
	}
}
