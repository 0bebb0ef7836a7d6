package client

import (
	"context"
	"testing"

	"rehabdesk/internal/version"
)

// TestCountySeesEachDevicesRelease: every request names the program's
// release, so `countyd devices` shows which laptops are out of date.
func TestCountySeesEachDevicesRelease(t *testing.T) {
	version.Version, version.Commit = "9.8.7", "abcdef123456"
	t.Cleanup(func() { version.Version, version.Commit = "", "" })
	c := newCounty(t)
	st := c.enrolled(t, townA)
	mustSync(t, st)
	devs, err := c.srv.Devices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(devs) != 1 || devs[0].Version != "9.8.7+abcdef123456" {
		t.Fatalf("devices = %+v, want one at release 9.8.7+abcdef123456", devs)
	}
}
