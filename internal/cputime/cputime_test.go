//go:build unix

package cputime

import (
	"crypto/sha256"
	"testing"
	"time"
)

// Work done on this goroutine shows up as CPU time: a benchmark's cpu-s/op
// would read zero otherwise. (The wall-clock bound only stops a broken
// reader from spinning forever; on a busy machine 20 ms of CPU can take a
// few times longer.)
func TestProcessCountsWorkDone(t *testing.T) {
	before := Process()
	start := time.Now()
	var sum [32]byte
	for Process()-before < 20*time.Millisecond && time.Since(start) < 10*time.Second {
		for range 1000 {
			sum = sha256.Sum256(sum[:])
		}
	}
	if spent := Process() - before; spent < 20*time.Millisecond {
		t.Fatalf("%v of hashing counted %v of CPU", time.Since(start), spent)
	}
}
