//go:build !unix

package report

import "time"

// cpuTime is not measured off Unix; the metric reads 0.
func cpuTime() time.Duration { return 0 }
