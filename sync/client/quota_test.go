package client

import (
	"bytes"
	"context"
	"testing"
	"time"

	"rehabdesk/internal/storetest"
	"rehabdesk/sync/server"
	"rehabdesk/sync/wire"
)

// TestSyncOverTheUploadQuotaSendsTheRecordsAndSaysWhy: a device with more
// attachments than the server takes from it in a day sends every record,
// is told why attachments wait (the "quota" refusal, which the app and the
// command line translate), and sends the rest the next day.
func TestSyncOverTheUploadQuotaSendsTheRecordsAndSaysWhy(t *testing.T) {
	clock := storetest.NewClock(time.Now())
	c := newCountyWith(t, server.Options{Now: clock.Now, UploadQuota: 3 * wire.BlobChunk})
	ctx := context.Background()
	a1, a2 := c.enrolled(t, townA), c.enrolled(t, townA)
	p := put(t, a1, "person", "", map[string]string{"name": "张三", "id_number": idFor(1)})
	var ids []string
	for _, page := range []string{"page1", "page2"} {
		id, err := a1.AddAttachment(ctx, p, "", map[string]string{"kind": "other", "filename": page + ".pdf"},
			append([]byte("%PDF-1.4 "), bytes.Repeat([]byte(page), wire.BlobChunk/3)...))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	res := mustSync(t, a1)
	if res.QuotaReached() == nil || res.BlobsSent != 1 || res.BlobsPending != 1 {
		t.Fatalf("over the quota: %d sent, %d pending, told %v; want 1, 1 and the quota refusal", res.BlobsSent, res.BlobsPending, res.QuotaReached())
	}
	mustSync(t, a2)
	for _, id := range ids {
		if _, err := a2.Get(ctx, id); err != nil {
			t.Fatalf("the attachment record did not reach the township: %v", err)
		}
	}
	clock.Add(24 * time.Hour)
	if res := mustSync(t, a1); res.QuotaReached() != nil || res.BlobsSent != 1 {
		t.Fatalf("next day: %d sent, told %v", res.BlobsSent, res.QuotaReached())
	}
	mustSync(t, a2)
	for _, id := range ids {
		if _, _, err := a2.OpenAttachment(ctx, id); err != nil {
			t.Fatalf("the other device cannot open it the next day: %v", err)
		}
	}
}

// TestExchangeFileOverTheUploadQuotaSaysWhy: the same through USB
// exchange files: the records go, the device is told of the quota, and
// the attachment held back goes with a file of the next day.
func TestExchangeFileOverTheUploadQuotaSaysWhy(t *testing.T) {
	clock := storetest.NewClock(time.Now())
	c := newCountyWith(t, server.Options{Now: clock.Now, UploadQuota: 3 * wire.BlobChunk})
	a1 := c.enrolled(t, townA)
	mustSync(t, a1) // the exchange key
	p := put(t, a1, "person", "", map[string]string{"name": "张三", "id_number": idFor(1)})
	attach(t, a1, p, bytes.Repeat([]byte("page1"), wire.BlobChunk/3))
	attach(t, a1, p, bytes.Repeat([]byte("page2"), wire.BlobChunk/3))
	res := c.exchange(t, a1)
	if res.Pushed != 3 || res.QuotaReached() == nil || res.BlobsSent != 1 {
		t.Fatalf("over the quota: %d records, %d attachments sent, told %v", res.Pushed, res.BlobsSent, res.QuotaReached())
	}
	clock.Add(24 * time.Hour)
	if res := c.exchange(t, a1); res.QuotaReached() != nil || res.BlobsSent != 1 {
		t.Fatalf("next day: %d sent, told %v", res.BlobsSent, res.QuotaReached())
	}
}
