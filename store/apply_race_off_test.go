//go:build !race

package store

// raceOn is true when tests run under the race detector.
const raceOn = false
