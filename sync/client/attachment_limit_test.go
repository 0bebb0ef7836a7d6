package client

import (
	"bytes"
	"context"
	"testing"

	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// TestEveryAttachmentTheStoreTakesCanSync: an attachment the GUI accepts
// must not be one that sync refuses to carry, or it would stay on one
// device for good.
func TestEveryAttachmentTheStoreTakesCanSync(t *testing.T) {
	if store.MaxAttachment > wire.MaxBlob {
		t.Fatalf("the store takes attachments up to %d bytes, sync carries %d", store.MaxAttachment, wire.MaxBlob)
	}
}

// TestAttachmentOfAnEventReachesTheOtherDevices: a scan attached to an
// event through the workflow (store.AddAttachment) reaches another
// device of the township, content and link to the event alike, and opens
// there.
func TestAttachmentOfAnEventReachesTheOtherDevices(t *testing.T) {
	c := newCounty(t)
	ctx := context.Background()
	a1, a2 := c.enrolled(t, townA), c.enrolled(t, townA)
	p := put(t, a1, store.KindPerson, "", map[string]string{"name": "张三", "id_number": idFor(1)})
	v := put(t, a1, store.KindVisit, "", map[string]string{"person": p, "date": "2026-11-01", "mode": "home", "visitor_kind": "staff"})
	scan := append([]byte("\xFF\xD8\xFF\xE0"), bytes.Repeat([]byte("scan"), 50000)...)
	id, err := a1.AddAttachment(ctx, p, v, map[string]string{"kind": "photo", "filename": "走访照片.jpg"}, scan)
	if err != nil {
		t.Fatal(err)
	}
	mustSync(t, a1)
	mustSync(t, a2)
	r, got, err := a2.OpenAttachment(ctx, id)
	if err != nil {
		t.Fatalf("the other device cannot open it: %v", err)
	}
	if !bytes.Equal(got, scan) || r.Get("event") != v || r.Get("mime") != "image/jpeg" {
		t.Fatalf("on the other device: %d bytes, event %q, type %q", len(got), r.Get("event"), r.Get("mime"))
	}
}
