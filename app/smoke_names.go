package app

// The smoke walk (smoke.go) is built only with the build tag "smoke", so
// that the release binary carries no screen-capture code; the Xvfb smoke
// test (smoke_test.go) builds rehabdesk with it.

// smokeEnv names the environment variable that turns on the smoke walk: its
// value is a folder where the app saves a capture of each main screen
// before it quits.
const smokeEnv = "REHABDESK_SMOKE"

// smokeNames name the captures, in navigation order.
var smokeNames = []string{"home", "people", "batch", "volunteers", "staff", "sync", "import", "settings"}
