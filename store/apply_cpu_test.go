package store

import (
	"time"

	"rehabdesk/internal/cputime"
)

// cpuTime is the CPU time of this process, all threads: benchmarks report it
// beside wall time, which other work on a shared machine stretches.
func cpuTime() time.Duration { return cputime.Process() }
