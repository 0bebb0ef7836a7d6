package ledger

import (
	"runtime/debug"
	"sync"
)

// importGCPercent is the garbage collector's target while an import runs
// (Go's default is 100): the heap may grow to three times what is live
// between two collections instead of twice. An import allocates about
// 1.7 GB per 100,000 rows while holding only its rows in flight, so each
// collection marks little, but at the default there were so many that
// marking took a sixth of the import's CPU. Parsing batch by batch (feed)
// keeps what is live small enough that the process peaks no higher than
// it did with all rows parsed first and the default target.
const importGCPercent = 200

// gcPace counts the imports running, so that the target is restored once
// the last one ends, whichever order they end in.
var gcPace struct {
	sync.Mutex
	imports int
	before  int
}

// relaxGC raises the collector's target for the length of an import and
// returns the function that restores it. A target already higher, or the
// collector turned off (GOGC=off), is left alone.
func relaxGC() (restore func()) {
	gcPace.Lock()
	defer gcPace.Unlock()
	if gcPace.imports == 0 {
		gcPace.before = debug.SetGCPercent(importGCPercent)
		if gcPace.before < 0 || gcPace.before > importGCPercent {
			debug.SetGCPercent(gcPace.before)
		}
	}
	gcPace.imports++
	return func() {
		gcPace.Lock()
		defer gcPace.Unlock()
		if gcPace.imports--; gcPace.imports == 0 {
			debug.SetGCPercent(gcPace.before)
		}
	}
}
