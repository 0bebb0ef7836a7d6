package store

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// FuzzApplyRemote feeds changes built from arbitrary text to the merge: it
// must reject them with a BadChangeError or merge them, never fail otherwise
// or panic, and a change it merged must be a no-op the second time.
//
//	go test -run '^$' -fuzz FuzzApplyRemote -fuzztime 30s ./store/
func FuzzApplyRemote(f *testing.F) {
	f.Add("1795947879214.000000", "dev-a", "person", "01a226d5-db29-7bad-b121-2de8fef93540", "520102016",
		"phone", "13800000001", "1795947879213.000000@dev-b")
	f.Add("1795947879214.000003", "d", "visit", "01a226d5-db29-7bad-b121-2de8fef93541", "520102016",
		"_archived", "1", "_seen:1795947879213.000000@dev-b=notes,date")
	f.Add("0000000000000.000000", "", "spaceship", "x", "", "", "", "")
	s := newTestStore(f)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, hlc, device, kind, entity, township, field, value, base string) {
		ch := fuzzChange(hlc, device, kind, entity, township, field, value, base)
		st, err := s.ApplyRemote(ctx, []*Change{ch})
		if err != nil {
			t.Fatalf("apply: %v", err)
		}
		for _, r := range st.Rejected {
			if !errors.Is(r, ErrBadChange) {
				t.Fatalf("rejection %v", r)
			}
		}
		if st.Applied+st.Duplicate+len(st.Rejected) != 1 {
			t.Fatalf("stats %+v", st)
		}
		again, err := s.ApplyRemote(ctx, []*Change{ch})
		if err != nil || again.Applied != 0 {
			t.Fatalf("second delivery: %+v, %v", again, err)
		}
	})
}

// fuzzChange builds a change; base "key:v1,v2" names the bases key.
func fuzzChange(hlc, device, kind, entity, township, field, value, base string) *Change {
	h, err := ParseHLC(hlc)
	if err != nil {
		h = HLC{} // a fuzzed clock that does not parse travels as the zero clock, which the merge must refuse
	}
	ch := &Change{HLC: h, Device: device, Kind: Kind(kind), EntityID: entity, Township: township,
		Fields: map[string]string{field: value}, Bases: map[string][]string{}}
	if base == "" {
		return ch
	}
	key := field
	if k, rest, ok := strings.Cut(base, ":"); ok {
		key, base = k, rest
	}
	ch.Bases[key] = strings.Split(base, ",")
	return ch
}
