// Package cputime reads the CPU time of this process. Benchmarks report it
// beside wall time because the development machines are shared: another
// engineer's build stretches the wall clock but not the work done here.
// Only tests and benchmarks import it.
package cputime

import "time"

// Process is the user and system CPU time this process has used so far, all
// threads together; 0 where the system does not tell (see cputime_other.go).
func Process() time.Duration { return process() }
