package ledger

import (
	"context"
	"runtime/debug"
	"testing"
)

// gcPercent reads the collector's target without changing it.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

func TestImportsRestoreTheCollectorTargetWhenTheLastEnds(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	first := relaxGC()
	second := relaxGC()
	if p := gcPercent(); p != importGCPercent {
		t.Fatalf("during imports the target is %d, want %d", p, importGCPercent)
	}
	first()
	if p := gcPercent(); p != importGCPercent {
		t.Fatalf("one import still running: target %d, want %d", p, importGCPercent)
	}
	second()
	if p := gcPercent(); p != 100 {
		t.Fatalf("after both imports the target is %d, want the 100 before them", p)
	}

	for _, user := range []int{-1, 400} { // GOGC=off, or a higher target chosen by the user
		debug.SetGCPercent(user)
		restore := relaxGC()
		if p := gcPercent(); p != user {
			t.Errorf("GOGC %d: an import set the target to %d", user, p)
		}
		restore()
	}
}

func TestImportRaisesTheCollectorTargetAndRestoresIt(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(150))
	during := 0
	if _, err := ImportBytes(context.Background(), newStore(t), generated(t, 30, 2), Options{Batch: 10, Progress: func(int, int) {
		during = gcPercent()
	}}); err != nil {
		t.Fatal(err)
	}
	if during != importGCPercent {
		t.Errorf("during an import the target is %d, want %d", during, importGCPercent)
	}
	if p := gcPercent(); p != 150 {
		t.Fatalf("after an import the target is %d, want 150", p)
	}
}
