package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"rehabdesk/internal/pgtest"
)

// TestLoadtestTinyProvince runs `countyd loadtest` end to end on a tiny
// province (3 townships holding 3, 3 and 2 devices, 10 persons each): it
// starts a real countyd serve, and every change a device pushes in the
// working day must reach the other devices of its township, and no other.
func TestLoadtestTinyProvince(t *testing.T) {
	c := buildCountyd(t)
	dir := t.TempDir()
	tinyLoadtest(t, c, "--dir", dir)
	// The server's own list, read apart from the load test: every
	// simulated device enrolled and synced.
	countLoadDevices(t, c, "--db", filepath.Join(dir, "data", "county.db"), "--key", filepath.Join(dir, "key", "county.key"))
}

// TestLoadtestTwoServersOnePostgres is the same province served by two
// countyd processes on one PostgreSQL database, the devices split between
// them: a change pushed through one server reaches the devices of the
// other.
func TestLoadtestTwoServersOnePostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds countyd and starts PostgreSQL")
	}
	c := buildCountyd(t)
	pg, dir := pgtest.Database(t), t.TempDir()
	rep := tinyLoadtest(t, c, "--dir", dir, "--pg", pg, "--servers", "2")
	if rep.Store != "postgresql" || rep.Config.Servers != 2 {
		t.Errorf("report of %d servers on %s", rep.Config.Servers, rep.Store)
	}
	for n := range 2 { // each server took pushes of its own devices
		log, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("countyd-%d.log", n)))
		if err != nil || !strings.Contains(string(log), "msg=push") {
			t.Errorf("countyd-%d served no push (%v)", n, err)
		}
	}
	countLoadDevices(t, c, "--pg", pg, "--key", filepath.Join(dir, "key", "county.key"))
}

// tinyLoadtest runs the tiny province and checks its report's counts.
func tinyLoadtest(t *testing.T, c *countyd, args ...string) *loadReport {
	t.Helper()
	args = append([]string{"loadtest", "--townships", "3", "--devices", "8", "--persons", "30",
		"--changes", "6", "--syncs", "2", "--concurrency", "4", "--json"}, args...)
	out, err := exec.Command(c.bin, args...).Output()
	if err != nil {
		t.Fatalf("loadtest: %v\n%s", err, out)
	}
	var rep loadReport
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("report: %v\n%s", err, out)
	}
	want := loadCounts{Seeded: 30, FirstExpected: 10*2 + 10*2 + 10*1, FirstPulled: 50,
		DayPushed: 8 * 6, DayStored: 8 * 6, DayExpected: 2*3*12 + 2*6, DayDelivered: 84}
	if rep.Counts != want {
		t.Errorf("counts %+v, want %+v", rep.Counts, want)
	}
	checkPhases(t, &rep)
	return &rep
}

func countLoadDevices(t *testing.T, c *countyd, db ...string) {
	t.Helper()
	list, err := exec.Command(c.bin, append([]string{"devices"}, db...)...).CombinedOutput()
	if n := strings.Count(string(list), "load-"); err != nil || n != 8 {
		t.Errorf("countyd devices lists %d load devices (%v):\n%s", n, err, list)
	}
}

func checkPhases(t *testing.T, rep *loadReport) {
	t.Helper()
	wantKinds := map[string][]string{"enroll": {"enroll"}, "seed": {"push-seed"},
		"first-sync": {"audit-pull", "pull-first"}, "working-day": {"audit-pull", "audit-push", "pull", "push"}}
	if len(rep.Phases) != len(wantKinds) {
		t.Fatalf("phases %+v", rep.Phases)
	}
	cpu := 0.0
	for _, p := range rep.Phases {
		cpu += p.ServerCPU
		var kinds []string
		for _, k := range p.Kinds {
			kinds = append(kinds, k.Kind)
			if k.Failed != 0 || k.P50 <= 0 || k.P99 < k.P50 {
				t.Errorf("%s %s: %+v", p.Name, k.Kind, k)
			}
		}
		if strings.Join(kinds, ",") != strings.Join(wantKinds[p.Name], ",") || p.HWMKB <= 0 {
			t.Errorf("phase %s: kinds %v, server VmHWM %d kB", p.Name, kinds, p.HWMKB)
		}
	}
	// /proc counts CPU in 10 ms ticks: a tiny phase may show none, the
	// whole run cannot.
	if rep.Phases[0].Requests != 8 || rep.DBBytes <= 0 || cpu <= 0 {
		t.Errorf("enroll requests %d, database %d bytes, server cpu %.2f s", rep.Phases[0].Requests, rep.DBBytes, cpu)
	}
}
