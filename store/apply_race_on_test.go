//go:build race

package store

// raceOn is true when tests run under the race detector (about ten times
// slower), so that long property tests can run fewer cases.
const raceOn = true
