package server

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"path/filepath"
	"testing"
	"testing/fstest"

	"rehabdesk/assets"
	"rehabdesk/internal/sqlitedb"
	"rehabdesk/sync/wire"
)

// lastPullFigures pulls a device's whole feed and returns the county
// figures of the last page.
func (f *fixture) lastPullFigures(token string) *wire.CountyFigures {
	f.t.Helper()
	var rep wire.PullReply
	for cursor := int64(0); ; cursor = rep.Next {
		rep = wire.PullReply{}
		if st := f.post(wire.PathPull, token, wire.TypePullRequest, wire.PullRequest{Cursor: cursor, Limit: 100},
			wire.TypePullReply, &rep); st != 200 {
			f.t.Fatalf("pull: HTTP %d", st)
		}
		if !rep.More {
			return rep.County
		}
	}
}

const otherCounty = "522301100" // a township of another county than townA's

// TestEachCountysTargetsReachItsTownships: a server serving townships of
// two counties keeps each county's targets and gives each township, and
// each county device, its own county's, never the other's; targets given
// without their county are refused, as are those of a county the server
// does not serve.
func TestEachCountysTargetsReachItsTownships(t *testing.T) {
	eachBackend(t, func(t *testing.T, _ backend) {
		f := newFixture(t)
		ctx := context.Background()
		if err := f.srv.SetYearFigure(ctx, "", 2026, TargetKind, "placement_rate", 90); err != nil {
			t.Fatalf("the one county's targets without --county: %v", err)
		}
		tokA := f.enroll("devA", townA, false)
		if err := f.srv.AddTownship(ctx, otherCounty); err != nil {
			t.Fatal(err)
		}
		if err := f.srv.SetYearFigure(ctx, "", 2026, TargetKind, "placement_rate", 70); !errors.Is(err, ErrCountyNeeded) {
			t.Fatalf("targets without a county on a two-county server: %v", err)
		}
		if err := f.srv.SetYearFigure(ctx, "520103", 2026, TargetKind, "placement_rate", 70); !errors.Is(err, ErrNotServedCounty) {
			t.Fatalf("targets of a county not served: %v", err)
		}
		other := assets.CountyOf(otherCounty)
		if err := f.srv.SetYearFigure(ctx, other, 2026, TargetKind, "placement_rate", 70); err != nil {
			t.Fatal(err)
		}
		tokO := f.enroll("devO", otherCounty, false)
		tokB := f.enroll("devB", townB, false)
		tokC := f.enroll("devC", townA, true)
		for name, c := range map[string]struct {
			tok  string
			want int
		}{"A": {tokA, 90}, "B, same county": {tokB, 90}, "the county device": {tokC, 90}, "the other county's township": {tokO, 70}} {
			if got := f.lastPullFigures(c.tok); got == nil || len(got.Targets) != 1 || got.Targets[0].Value != c.want {
				t.Errorf("%s got %+v, want its county's placement_rate %d", name, got, c.want)
			}
		}
	})
}

// TestTargetsStoredWithoutACounty: targets stored before they had a
// county (the migration leaves a several-county server's without one)
// reach the townships while the server serves one county, give way to the
// county's own, and reach nobody on a server serving two counties.
func TestTargetsStoredWithoutACounty(t *testing.T) {
	eachBackend(t, func(t *testing.T, _ backend) {
		f := newFixture(t)
		ctx := context.Background()
		if _, err := f.srv.db.ExecContext(ctx, "INSERT INTO county_targets(county, year, kind, name, value) VALUES('', 2026, ?, 'placement_rate', 80), ('', 2026, ?, 'test_rate', 60)",
			TargetKind, TargetKind); err != nil {
			t.Fatal(err)
		}
		tokA := f.enroll("devA", townA, false)
		if got := f.lastPullFigures(tokA); got == nil || len(got.Targets) != 2 {
			t.Fatalf("one county: %+v", got)
		}
		if err := f.srv.SetYearFigure(ctx, "", 2026, TargetKind, "placement_rate", 90); err != nil {
			t.Fatal(err)
		}
		if figs, err := f.srv.YearFigures(ctx, assets.CountyOf(townA), 2026, TargetKind); err != nil || figs["placement_rate"] != 90 || figs["test_rate"] != 60 {
			t.Fatalf("after setting one: %v (%v)", figs, err)
		}
		if err := f.srv.AddTownship(ctx, otherCounty); err != nil {
			t.Fatal(err)
		}
		if got := f.lastPullFigures(tokA); got == nil || len(got.Targets) != 1 || got.Targets[0].Name != "placement_rate" {
			t.Fatalf("two counties: %+v, want only the county's own", got)
		}
	})
}

// TestMigrationGivesTargetsTheirCounty: targets stored before migration
// 0012 take the county of a server serving one county; on a server
// serving several they are left without one (sent to nobody, as before).
func TestMigrationGivesTargetsTheirCounty(t *testing.T) {
	for _, c := range []struct {
		townships []string
		want      string
	}{{[]string{townA, townB}, assets.CountyOf(townA)}, {[]string{townA, otherCounty}, ""}} {
		path := filepath.Join(t.TempDir(), "c.db")
		before := fstest.MapFS{}
		entries, err := fs.Glob(migrations, "migrations/*.sql")
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if data, err := fs.ReadFile(migrations, e); err == nil && filepath.Base(e) < "0012" {
				before[e] = &fstest.MapFile{Data: data}
			}
		}
		conn, err := sql.Open("sqlite", "file:"+path)
		if err != nil {
			t.Fatal(err)
		}
		if err := sqlitedb.Migrate(context.Background(), conn, before); err != nil {
			t.Fatal(err)
		}
		for _, town := range c.townships {
			if _, err := conn.Exec("INSERT INTO townships(code, county, added_at) VALUES(?, ?, 0)", town, assets.CountyOf(town)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := conn.Exec("INSERT INTO county_targets(year, kind, name, value) VALUES(2026, 'target', 'placement_rate', 90)"); err != nil {
			t.Fatal(err)
		}
		conn.Close()
		srv, err := Open(context.Background(), path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var county string
		err = srv.db.QueryRowContext(context.Background(), "SELECT county FROM county_targets").Scan(&county)
		srv.Close()
		if err != nil || county != c.want {
			t.Errorf("townships %v: the target's county is %q (%v), want %q", c.townships, county, err, c.want)
		}
	}
}
