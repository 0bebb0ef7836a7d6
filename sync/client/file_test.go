package client

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"rehabdesk/store"
	"rehabdesk/sync/wire"
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

// showsInClear reports whether a file, read raw or through any gzip stream
// found in it, contains one of the secrets.
func showsInClear(data []byte, secrets ...string) bool {
	texts := [][]byte{data}
	for i := 0; i+1 < len(data); i++ {
		if data[i] == 0x1f && data[i+1] == 0x8b {
			if zr, err := gzip.NewReader(bytes.NewReader(data[i:])); err == nil {
				plain, _ := io.ReadAll(zr)
				texts = append(texts, plain)
			}
		}
	}
	for _, text := range texts {
		for _, s := range secrets {
			if bytes.Contains(text, []byte(s)) {
				return true
			}
		}
	}
	return false
}

func TestExchangeFilesShowNoNamesOrIDNumbers(t *testing.T) {
	c := newCounty(t)
	ctx := context.Background()
	online, offline := c.enrolled(t, townA), c.enrolled(t, townA)
	id1, id2 := idFor(11), idFor(12)
	put(t, offline, store.KindPerson, "", map[string]string{"name": "欧阳秘密", "id_number": id1, "phone": "13800138000"})
	put(t, online, store.KindPerson, "", map[string]string{"name": "司马隐私", "id_number": id2})
	mustSync(t, online)
	dir := t.TempDir()
	req := filepath.Join(dir, "req.rdsync")
	if _, err := WriteRequestFile(ctx, offline, req); err != nil {
		t.Fatal(err)
	}
	reqData, _ := os.ReadFile(req)
	reply, err := c.srv.Exchange(ctx, reqData)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"request": reqData, "reply": reply} {
		if showsInClear(data, "欧阳秘密", "司马隐私", id1, id2, "13800138000") {
			t.Errorf("%s file shows personal data", name)
		}
	}
	os.WriteFile(req+".reply", reply, 0o600)
	if res, err := ReadReplyFile(ctx, offline, req+".reply"); err != nil || res.Pulled == 0 {
		t.Fatalf("reply: %+v %v", res, err)
	}
	if !showsInClear(append([]byte("x"), gzipped(t, "欧阳秘密")...), "欧阳秘密") {
		t.Fatal("showsInClear misses a gzipped name")
	}
}

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(s))
	zw.Close()
	return buf.Bytes()
}

func TestEveryBadReplyFileGetsOneMessageAndChangesNothing(t *testing.T) {
	c := newCounty(t)
	ctx := context.Background()
	dev, other := c.enrolled(t, townA), c.enrolled(t, townA)
	put(t, other, store.KindPerson, "", map[string]string{"name": "张三", "id_number": idFor(5)})
	mustSync(t, other)
	good, err := c.srv.Exchange(ctx, requestFrom(t, dev))
	if err != nil {
		t.Fatal(err)
	}
	forOther, err := c.srv.Exchange(ctx, requestFrom(t, other))
	if err != nil {
		t.Fatal(err)
	}
	msg, err := wire.Marshal(wire.TypeFileReply, wire.FileReply{Device: dev.Device()})
	if err != nil {
		t.Fatal(err)
	}
	key, err := dev.SyncSecret(ctx, keyExchange)
	if err != nil {
		t.Fatal(err)
	}
	elsewhere, err := wire.Marshal(wire.TypeFileReply, wire.FileReply{Device: other.Device()})
	if err != nil {
		t.Fatal(err)
	}
	misnamed, err := wire.SealFile(key, wire.FileToDevice, dev.Device(), elsewhere)
	if err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Clone(good)
	flipped[len(flipped)-5] ^= 0x40
	bad := map[string][]byte{
		"empty": {}, "truncated": good[:len(good)/2], "damaged": flipped,
		"other device": forOther, "own request": requestFrom(t, dev),
		"old unsealed": append(msg, make([]byte, 32)...), "garbage": []byte("RDSY\x02\x0cgarbage"),
		"names another device": misnamed,
	}
	before := snapshot(t, dev)
	path := filepath.Join(t.TempDir(), "reply")
	for name, data := range bad {
		os.WriteFile(path, data, 0o600)
		_, err := ReadReplyFile(ctx, dev, path)
		if err != ErrBadFile {
			t.Errorf("%s: %v, want ErrBadFile", name, err)
		}
	}
	sameData(t, "after bad replies", snapshot(t, dev), before)
}

// requestFrom writes a request file of st and returns its bytes.
func requestFrom(t *testing.T, st *store.Store) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "req")
	if _, err := WriteRequestFile(context.Background(), st, path); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	return data
}

// A device enrolled before files were sealed has no exchange key: it says
// so plainly, and its next online sync fetches one.
func TestDeviceWithoutExchangeKeyGetsOneOnSync(t *testing.T) {
	c := newCounty(t)
	ctx := context.Background()
	dev := c.enrolled(t, townA)
	if err := dev.SetSyncSecret(ctx, keyExchange, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteRequestFile(ctx, dev, filepath.Join(t.TempDir(), "req")); err != ErrNoExchangeKey {
		t.Fatalf("write without key: %v", err)
	}
	mustSync(t, dev)
	c.exchange(t, dev)
}
