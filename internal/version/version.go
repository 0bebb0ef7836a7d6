// Package version tells which release of RehabDesk a binary is: the version,
// the commit it was built from and when. `make build` and `make dist` stamp
// the three with -ldflags -X; a plain `go build` falls back to what the Go
// toolchain records of the checkout (commit and commit time), so that a
// county can still tell an untagged build from a release.
package version

import (
	"fmt"
	"runtime/debug"
)

// Set by the linker: -X rehabdesk/internal/version.Version=0.2.0 and so on.
var (
	Version = ""
	Commit  = ""
	Date    = ""
)

// Info is one binary's identity.
type Info struct {
	Version string // semantic version, or "dev" for an unstamped build
	Commit  string // short commit hash, "" when unknown
	Date    string // build date (RFC 3339), "" when unknown
}

// Get returns the stamped identity, completed from the build information
// the toolchain embeds when the linker stamped nothing.
func Get() Info {
	info := Info{Version: Version, Commit: Commit, Date: Date}
	if info.Version == "" {
		info.Version = "dev"
	}
	if info.Commit != "" && info.Date != "" {
		return info
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		fillFromBuild(&info, bi.Settings)
	}
	return info
}

func fillFromBuild(info *Info, settings []debug.BuildSetting) {
	for _, s := range settings {
		switch {
		case s.Key == "vcs.revision" && info.Commit == "":
			info.Commit = shortCommit(s.Value)
		case s.Key == "vcs.time" && info.Date == "":
			info.Date = s.Value
		case s.Key == "vcs.modified" && s.Value == "true" && info.Version == "dev":
			info.Version = "dev+modified"
		}
	}
}

func shortCommit(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}

// String is the one line `rehabdesk version` and `countyd version` print,
// e.g. "0.2.0 (commit 1a2b3c4d5e6f, built 2026-12-07T10:00:00Z)".
func (i Info) String() string {
	commit, date := i.Commit, i.Date
	if commit == "" {
		commit = "unknown"
	}
	if date == "" {
		date = "unknown"
	}
	return fmt.Sprintf("%s (commit %s, built %s)", i.Version, commit, date)
}

// Short is the version alone, as the sync handshake and the settings page show it.
func (i Info) Short() string {
	if i.Commit == "" {
		return i.Version
	}
	return i.Version + "+" + i.Commit
}
