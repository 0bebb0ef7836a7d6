package server

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"rehabdesk/store"
)

// BenchmarkPushPage pushes pages of a working day (visits and one-field
// edits of a township's persons, in turn, as `countyd loadtest` does) to
// a server on each backend; changes/s is per wall second, one page at a
// time. On PostgreSQL it counts round trips more than anything: the
// statements of a change run one after the other on one connection.
func BenchmarkPushPage(b *testing.B) {
	for _, be := range []backend{onSQLite, onPostgres} {
		b.Run("day/"+string(be), func(b *testing.B) { benchPushPage(b, be) })
	}
}

// BenchmarkPushSeed pushes pages of 100 new persons with the fields a
// ledger import fills, as a township's first sync does.
func BenchmarkPushSeed(b *testing.B) {
	for _, be := range []backend{onSQLite, onPostgres} {
		b.Run(string(be), func(b *testing.B) { benchPushSeed(b, be) })
	}
}

func benchPushSeed(b *testing.B, be backend) {
	srv := openTestOn(b, be, Options{})
	if err := srv.AddTownship(context.Background(), townA); err != nil {
		b.Fatal(err)
	}
	d := &device{ID: "bench", Township: townA}
	wall := time.Now().UnixMilli() - int64(b.N+1)*100
	b.ResetTimer()
	for n := range b.N {
		page := make([]*store.Change, 100)
		for i := range page {
			wall++
			id := fmt.Sprintf("p%d-%d", n, i)
			page[i] = &store.Change{HLC: store.HLC{Wall: wall}, Device: d.ID, Kind: store.KindPerson, EntityID: id, Township: townA,
				User: "officer", Bases: map[string][]string{}, Fields: map[string]string{
					"name": "测试" + benchName(i), "id_number": "52010219900101123X", "phone": "13800000000", "current_address": "某某村3组",
					"category": "social", "risk": "low", "drug_types": "heroin", "first_found": "2020-03-01"}}
		}
		benchPush(b, srv, d, page)
	}
	b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "changes/s")
}

const benchPage = 20

func benchPushPage(b *testing.B, be backend) {
	ctx := context.Background()
	srv := openTestOn(b, be, Options{})
	if err := srv.AddTownship(ctx, townA); err != nil {
		b.Fatal(err)
	}
	d := &device{ID: "bench", Township: townA}
	wall := time.Now().UnixMilli() - int64(b.N+2)*benchPage // every stamp in the past
	mk := func(kind store.Kind, id, person string, fields map[string]string) *store.Change {
		wall++
		return &store.Change{HLC: store.HLC{Wall: wall}, Device: d.ID, Kind: kind, EntityID: id, Township: townA,
			PersonID: person, User: "officer", Fields: fields, Bases: map[string][]string{}}
	}
	persons := make([]*store.Change, 100)
	for i := range persons {
		id := fmt.Sprintf("p%03d", i)
		persons[i] = mk(store.KindPerson, id, "", map[string]string{"name": "测试" + benchName(i), "phone": "13800000000", "risk": "low"})
	}
	benchPush(b, srv, d, persons)
	b.ResetTimer()
	for n := range b.N {
		page := make([]*store.Change, benchPage)
		for i := range page {
			p := persons[(n*benchPage+i)%len(persons)].EntityID
			if i%2 == 0 {
				page[i] = mk(store.KindVisit, fmt.Sprintf("v%d-%d", n, i), p, map[string]string{"person": p, "date": "2026-12-07",
					"visitor_kind": "staff", "mode": "home", "notes": "走访正常"})
			} else {
				page[i] = mk(store.KindPerson, p, "", map[string]string{"phone": fmt.Sprintf("139%08d", n*benchPage+i)})
			}
		}
		benchPush(b, srv, d, page)
	}
	b.ReportMetric(float64(b.N*benchPage)/b.Elapsed().Seconds(), "changes/s")
}

// benchName is a name the server takes (no Arabic digits) for person i.
func benchName(i int) string {
	var b strings.Builder
	for _, d := range strconv.Itoa(i) {
		b.WriteRune([]rune("零一二三四五六七八九")[d-'0'])
	}
	return b.String()
}

func benchPush(b *testing.B, srv *Server, d *device, page []*store.Change) {
	rep, err := srv.Push(context.Background(), d, page)
	if err != nil {
		b.Fatal(err)
	}
	if rep.Accepted != len(page) {
		b.Fatalf("push reply %+v", rep)
	}
}
