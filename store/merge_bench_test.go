package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
)

// BenchmarkApplyRemote merges pages of remote changes the way a pull does:
// persons created on another device, then edited there, one edit in five
// concurrently on a third device (so conflicts open). It reports merged
// field changes per second; the goal (issue 3) is at least 50,000.
//
//	go test -run '^$' -bench ApplyRemote -benchtime 5x ./store/
func BenchmarkApplyRemote(b *testing.B) {
	for _, page := range []int{500, 5000} {
		b.Run(fmt.Sprintf("page=%d", page), func(b *testing.B) { benchApply(b, page) })
	}
}

func benchApply(b *testing.B, page int) {
	s := newTestStore(b)
	ctx := context.Background()
	gen := &changeGen{wall: time.Now().UnixMilli()}
	fields, elapsed, cpu := 0, time.Duration(0), time.Duration(0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		batch := gen.persons(2000, 4)
		b.StartTimer()
		start, cpu0 := time.Now(), cpuTime()
		for off := 0; off < len(batch); off += page {
			st, err := s.ApplyRemote(ctx, batch[off:min(off+page, len(batch))])
			if err != nil || len(st.Rejected) > 0 {
				b.Fatalf("apply: %v %v", err, st.Rejected)
			}
			fields += st.Fields
		}
		elapsed, cpu = elapsed+time.Since(start), cpu+cpuTime()-cpu0
	}
	b.ReportMetric(float64(fields)/elapsed.Seconds(), "fields/s")
	// On a busy machine wall time says little; CPU time of this process does.
	if cpu > 0 {
		b.ReportMetric(float64(fields)/cpu.Seconds(), "fields/cpu-s")
	}
	b.ReportMetric(float64(fields)/float64(b.N), "fields/op")
}

// changeGen makes well-formed remote changes without a source database.
type changeGen struct {
	wall int64
	seq  int
}

func (g *changeGen) next(device string) HLC {
	g.wall++
	return HLC{Wall: g.wall}
}

// persons returns the creation of n persons, then edits rounds of edits of
// each; every fifth edit has a concurrent twin from another device.
func (g *changeGen) persons(n, edits int) []*Change {
	ids := make([]string, n)
	versions := make([]map[string]string, n)
	var out []*Change
	for i := range ids {
		ids[i] = uuid.Must(uuid.NewV7()).String()
		g.seq++
		c := g.change("dev-a", ids[i], map[string]string{"name": "张三", "id_number": testIDNumber(g.seq % 28000),
			"phone": "13800000001", "village": "520102016001", "risk": "low", "notes": "首次登记"}, nil)
		versions[i] = map[string]string{}
		for f := range c.Fields {
			versions[i][f] = c.Version().String()
		}
		out = append(out, c)
	}
	for r := 0; r < edits; r++ {
		for i, id := range ids {
			f := []string{"phone", "risk", "notes"}[(i+r)%3]
			val := fmt.Sprintf("v%d", r)
			base := map[string][]string{f: {versions[i][f]}}
			c := g.change("dev-a", id, map[string]string{f: val}, base)
			out = append(out, c)
			if i%5 == 0 {
				out = append(out, g.change("dev-b", id, map[string]string{f: val + "b"}, base))
			}
			versions[i][f] = c.Version().String()
		}
	}
	return out
}

func (g *changeGen) change(device, id string, fields map[string]string, bases map[string][]string) *Change {
	if bases == nil {
		bases = map[string][]string{}
	}
	return &Change{HLC: g.next(device), Device: device, Kind: KindPerson, EntityID: id, Township: testTownship,
		PersonID: id, User: "officer", Fields: fields, Bases: bases}
}
