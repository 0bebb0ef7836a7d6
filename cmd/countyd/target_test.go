package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"rehabdesk/sync/server"
)

// TestTargetOnASeveralCountyServerNeedsTheCounty: on a server serving
// townships of two counties, countyd target refuses figures without
// --county, or for a county it does not serve, and stores each county's
// own; on a one-county server --county is not needed.
func TestTargetOnASeveralCountyServerNeedsTheCounty(t *testing.T) {
	ctx := context.Background()
	dbPath, keyPath := filepath.Join(t.TempDir(), "county.db"), filepath.Join(t.TempDir(), "county.key")
	srv, err := server.Open(ctx, dbPath, server.Options{KeyFile: keyPath})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	target := func(args ...string) (int, string) {
		var stdout, stderr bytes.Buffer
		code := program.Run(ctx, &env{stdout: &stdout, stderr: &stderr}, append([]string{"target", "--db", dbPath, "--key", keyPath, "--year", "2026"}, args...))
		return code, stdout.String() + stderr.String()
	}
	if err := srv.AddTownship(ctx, "520102016"); err != nil {
		t.Fatal(err)
	}
	if code, out := target("--set", "placement_rate=90"); code != 0 || !strings.Contains(out, "520102 2026 target placement_rate=90") {
		t.Fatalf("one county: exit %d: %s", code, out)
	}
	if err := srv.AddTownship(ctx, "522301100"); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"--set", "placement_rate=70"}, {"--county", "520103", "--set", "placement_rate=70"}} {
		if code, out := target(args...); code != 2 || !strings.Contains(out, "--county") {
			t.Errorf("%v on two counties: exit %d: %s", args, code, out)
		}
	}
	if code, out := target("--county", "522301", "--set", "placement_rate=70"); code != 0 || !strings.Contains(out, "522301 2026 target placement_rate=70") {
		t.Fatalf("--county 522301: exit %d: %s", code, out)
	}
	for county, want := range map[string]int{"520102": 90, "522301": 70} {
		if figs, err := srv.YearFigures(ctx, county, 2026, server.TargetKind); err != nil || figs["placement_rate"] != want {
			t.Errorf("county %s: %v (%v), want placement_rate %d", county, figs, err, want)
		}
	}
}
