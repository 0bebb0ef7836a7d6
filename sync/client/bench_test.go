package client

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"testing"
	"time"

	"rehabdesk/internal/ledgertest"
	"rehabdesk/store"
	"rehabdesk/store/ledger"
	"rehabdesk/sync/wire"
)

// ledgerCounty is a county server holding a township ledger of n persons,
// imported on one device and pushed.
func ledgerCounty(b *testing.B, n int) (*county, *store.Store, Result) {
	b.Helper()
	c := newCounty(b)
	a := c.enrolled(b, townA)
	var csv bytes.Buffer
	if err := ledgertest.Generate(&csv, n, 7); err != nil {
		b.Fatal(err)
	}
	if _, err := ledger.ImportBytes(context.Background(), a, csv.Bytes(), ledger.Options{}); err != nil {
		b.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(csv.Bytes())
	zw.Close()
	b.Logf("ledger of %d persons: %d bytes as CSV, %d gzipped", n, csv.Len(), gz.Len())
	return c, a, mustSync(b, a)
}

// BenchmarkInitialPull10k measures a new device's first sync of a
// 10,000-person township: bytes on the socket and time. Server and device
// run in this one process, so cpu-s/op is both together.
func BenchmarkInitialPull10k(b *testing.B) {
	c, _, push := ledgerCounty(b, benchPersons)
	b.ReportMetric(float64(push.Sent), "push-sent-B")
	var res Result
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dev := c.enrolled(b, townA)
		cpu0 := cpuTime()
		b.StartTimer()
		res = mustSync(b, dev)
		b.StopTimer()
		cpu += cpuTime() - cpu0
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(res.Recv), "recv-B")
	b.ReportMetric(float64(res.Sent), "sent-B")
	b.ReportMetric(float64(res.Pulled), "changes")
}

// BenchmarkInitialPull10kMergeOnly is the device's share of the initial
// pull: the same pages, fetched and decoded beforehand, merged into a new
// database (store.ApplyRemote and the cursor, as the sync does).
func BenchmarkInitialPull10kMergeOnly(b *testing.B) {
	c, _, _ := ledgerCounty(b, benchPersons)
	pages := fetchAll(b, c.enrolled(b, townA))
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dev := c.enrolled(b, townA)
		cpu0 := cpuTime()
		b.StartTimer()
		var res Result
		for _, p := range pages {
			if err := mergePage(context.Background(), dev, p.changes, &p.rep, &res); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		cpu += cpuTime() - cpu0
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkInitialPull10kFetchOnly is the rest of the initial pull: the
// server building every page and the device receiving and decoding it,
// one page after another, without merging.
func BenchmarkInitialPull10kFetchOnly(b *testing.B) {
	c, _, _ := ledgerCounty(b, benchPersons)
	dev := c.enrolled(b, townA)
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cpu0 := cpuTime()
		fetchAll(b, dev)
		cpu += cpuTime() - cpu0
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}

// fetchAll pulls every page for an enrolled device without merging.
func fetchAll(b *testing.B, dev *store.Store) []fetchedPage {
	s, err := loadState(context.Background(), dev)
	if err != nil {
		b.Fatal(err)
	}
	cn := newConn(s.Server, s.Token, s.Pin, fastOpt.withDefaults())
	var pages []fetchedPage
	for cursor := int64(0); ; {
		p := <-cn.fetchPage(context.Background(), wire.PullRequest{Cursor: cursor})
		if p.err != nil {
			b.Fatal(p.err)
		}
		pages, cursor = append(pages, p), p.rep.Next
		if !p.rep.More {
			return pages
		}
	}
}

// BenchmarkHundredOneFieldChanges measures pushing a change of one field on
// 100 persons from one device and pulling it on another.
func BenchmarkHundredOneFieldChanges(b *testing.B) {
	c := newCounty(b)
	a, other := c.enrolled(b, townA), c.enrolled(b, townA)
	ids := make([]string, 100)
	for i := range ids {
		ids[i] = put(b, a, store.KindPerson, "", map[string]string{"name": "张三", "id_number": idFor(i)})
	}
	mustSync(b, a)
	mustSync(b, other)
	b.ResetTimer()
	var push, pull Result
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		for k, id := range ids {
			put(b, a, store.KindPerson, id, map[string]string{"phone": fmt.Sprintf("1390000%04d", (i*100+k)%10000)})
		}
		b.StartTimer()
		push, pull = mustSync(b, a), mustSync(b, other)
	}
	b.ReportMetric(float64(push.Sent), "push-sent-B")
	b.ReportMetric(float64(push.Recv), "push-recv-B")
	b.ReportMetric(float64(pull.Sent), "pull-sent-B")
	b.ReportMetric(float64(pull.Recv), "pull-recv-B")
}

// benchPersons is the ledger size of BenchmarkInitialPull10k.
var benchPersons = 10000
