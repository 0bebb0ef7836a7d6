package ledger

import (
	"bytes"
	"testing"
)

func TestGeneratedLedgerImportsWholeAndTwiceChangesNothing(t *testing.T) {
	s := newStore(t)
	data := generated(t, 300, 7)
	rep := importBytes(t, s, data)
	if rep.New != 300 || rep.Rejected != 0 || rep.Done != 300 {
		t.Fatalf("first import: %+v", rep)
	}
	before := localChanges(t, s)
	rep = importBytes(t, s, data)
	if rep.New != 0 || rep.Updated != 0 || rep.Unchanged != 300 {
		t.Fatalf("second import: new %d updated %d unchanged %d", rep.New, rep.Updated, rep.Unchanged)
	}
	if after := localChanges(t, s); after != before {
		t.Fatalf("second import logged %d changes", after-before)
	}
}

func TestExportImportExportIsByteIdentical(t *testing.T) {
	s := newStore(t)
	importBytes(t, s, generated(t, 200, 3))
	first := exportCSV(t, s)
	fresh := newStore(t)
	importBytes(t, fresh, first)
	if second := exportCSV(t, fresh); !bytes.Equal(first, second) {
		t.Fatalf("round trip differs:\n%s\n---\n%s", first[:min(len(first), 600)], second[:min(len(second), 600)])
	}
}

func TestGenerateIsDeterministicForASeed(t *testing.T) {
	a, b, c := generated(t, 50, 1), generated(t, 50, 1), generated(t, 50, 2)
	if !bytes.Equal(a, b) || bytes.Equal(a, c) {
		t.Fatal("same seed must give the same ledger, another seed another")
	}
}
