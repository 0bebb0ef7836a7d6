package client

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"rehabdesk/store"
)

// exchange carries a device's request file to the county and back.
func (c *county) exchange(t *testing.T, st *store.Store) Result {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "req.rdsync")
	if _, err := WriteRequestFile(ctx, st, path); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	reply, err := c.srv.Exchange(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+".reply", reply, 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := ReadReplyFile(ctx, st, path+".reply")
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func attach(t *testing.T, st *store.Store, person string, content []byte) string {
	t.Helper()
	h, err := st.PutBlob(context.Background(), content)
	if err != nil {
		t.Fatal(err)
	}
	put(t, st, store.KindAttachment, "", map[string]string{"person": person, "kind": "agreement", "filename": "a.jpg",
		"sha256": h, "size": strconv.Itoa(len(content))})
	return h
}

func TestExchangeFilesCarryRecordsAndAttachments(t *testing.T) {
	c := newCounty(t)
	ctx := context.Background()
	online, offline := c.enrolled(t, townA), c.enrolled(t, townA)
	p := put(t, offline, store.KindPerson, "", map[string]string{"name": "张三", "id_number": idFor(4)})
	h1 := attach(t, offline, p, []byte("协议书扫描件"))
	if res := c.exchange(t, offline); res.Pushed != 3 || res.BlobsSent != 1 {
		t.Fatalf("first exchange: %+v", res)
	}
	if res := mustSync(t, online); res.BlobsReceived != 1 {
		t.Fatalf("online device: %+v", res)
	}
	h2 := attach(t, online, p, []byte("照片"))
	mustSync(t, online)
	res := c.exchange(t, offline)
	if res.Pulled == 0 || res.BlobsReceived != 1 || res.BlobsSent != 0 {
		t.Fatalf("second exchange: %+v", res)
	}
	for _, h := range []string{h1, h2} {
		a, err := online.Blob(ctx, h)
		if err != nil {
			t.Fatal(err)
		}
		b, err := offline.Blob(ctx, h)
		if err != nil {
			t.Fatal(err)
		}
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Fatalf("blob %s differs", h)
		}
	}
	sameData(t, "offline vs server", snapshot(t, offline), c.snapshot(t, townA))
}
