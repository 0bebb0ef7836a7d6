package version

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestStampedValuesWin(t *testing.T) {
	Version, Commit, Date = "1.2.3", "abcdef123456", "2026-12-07T10:00:00Z"
	t.Cleanup(func() { Version, Commit, Date = "", "", "" })
	got := Get().String()
	want := "1.2.3 (commit abcdef123456, built 2026-12-07T10:00:00Z)"
	if got != want {
		t.Fatalf("Get().String() = %q, want %q", got, want)
	}
}

func TestUnstampedBuildTakesTheCheckoutsCommit(t *testing.T) {
	info := Info{Version: "dev"}
	fillFromBuild(&info, []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123"},
		{Key: "vcs.time", Value: "2026-12-01T08:00:00Z"},
		{Key: "vcs.modified", Value: "true"},
	})
	if info.Commit != "0123456789ab" || info.Date != "2026-12-01T08:00:00Z" || info.Version != "dev+modified" {
		t.Fatalf("fillFromBuild gave %+v", info)
	}
	if s := (Info{Version: "dev"}).String(); !strings.Contains(s, "commit unknown") {
		t.Fatalf("an unknown commit must say so: %q", s)
	}
}
