package client

import (
	"bytes"
	"context"
	"math/rand"
	"strconv"
	"testing"

	"rehabdesk/store"
)

func TestAttachmentsTravelAfterRecordsAndResume(t *testing.T) {
	c := newCounty(t)
	ctx := context.Background()
	a, b := c.enrolled(t, townA), c.enrolled(t, townA)
	other := c.enrolled(t, townB)
	scan := make([]byte, 300<<10) // a 300 KB scan, incompressible like a JPEG: five chunks
	rand.New(rand.NewSource(1)).Read(scan)
	h, err := a.PutBlob(ctx, scan)
	if err != nil {
		t.Fatal(err)
	}
	p := put(t, a, store.KindPerson, "", map[string]string{"name": "张三", "id_number": idFor(7)})
	put(t, a, store.KindAttachment, "", map[string]string{"person": p, "kind": "agreement", "filename": "协议.jpg",
		"sha256": h, "size": strconv.Itoa(len(scan))})
	// The link dies after the records went through: they are synced all
	// the same, and the next sync finishes the upload.
	cut := newFaulty(1000, 100)
	cut.armed.Store(false)
	res, err := Sync(ctx, a, func(p Progress) {
		if p.Phase == PhasePull {
			cut.armed.Store(true)
		}
	}, Options{Retries: 1, Backoff: 1e6, Dial: cut.dial})
	if res.Pushed == 0 || res.BlobsPending != 1 {
		t.Fatalf("first sync: %+v %v", res, err)
	}
	if res := mustSync(t, a); res.BlobsSent != 1 {
		t.Fatalf("resumed upload: %+v", res)
	}
	// b downloads it with a cut in the middle, then resumes.
	cut = newFaulty(1000, 100*1024)
	cut.armed.Store(false)
	res, err = Sync(ctx, b, func(p Progress) { cut.armed.Store(true) }, Options{Retries: -1, Backoff: 1e6, Dial: cut.dial})
	if err != nil || res.BlobError == nil || res.BlobsPending != 1 {
		t.Fatalf("cut download: %+v, error %v; want the records synced, the blob cut (BlobError) and pending", res, err)
	}
	if done, err := b.BlobProgress(ctx, h); err != nil || done == 0 {
		t.Fatal("nothing of the download was kept", err)
	}
	if res := mustSync(t, b); res.BlobsReceived != 1 {
		t.Fatalf("resumed download: %+v", res)
	}
	got, err := b.Blob(ctx, h)
	if err != nil || !bytes.Equal(got, scan) {
		t.Fatalf("content differs (%v)", err)
	}
	if res := mustSync(t, other); res.BlobsReceived != 0 {
		t.Fatal("another township received the attachment")
	}
}
