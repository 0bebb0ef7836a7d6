package server

import (
	"context"
	"testing"

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

// TestTargetsReachOnlyTheirCountysTownships: the yearly targets are the
// county's; a server that also serves a township of another county cannot
// tell whose they are, and gives them to none rather than to another
// county's townships.
func TestTargetsReachOnlyTheirCountysTownships(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := f.srv.SetYearFigure(ctx, 2026, TargetKind, "placement_rate", 90); err != nil {
		t.Fatal(err)
	}
	tokA := f.enroll("devA", townA, false)
	if c := f.lastPullFigures(tokA); c == nil || len(c.Targets) != 1 || c.Targets[0].Value != 90 {
		t.Fatalf("the county's township got %+v", c)
	}
	const otherCounty = "522301100"
	if err := f.srv.AddTownship(ctx, otherCounty); err != nil {
		t.Fatal(err)
	}
	tokO := f.enroll("devO", otherCounty, false)
	for name, tok := range map[string]string{"another county's township": tokO, "a township of a several-county server": tokA} {
		if c := f.lastPullFigures(tok); c == nil || len(c.Targets) != 0 {
			t.Errorf("%s got %+v", name, c)
		}
	}
}
