package server

import (
	"bytes"
	"context"
	"testing"
	"time"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// quotaSetup is two servers on one database, both with a daily upload
// quota of three chunks and one settable clock, and a township-A device
// that pushed a person with two attachments of two chunks each.
type quotaSetup struct {
	f1, f2       *fixture
	clock        *storetest.Clock
	tok          string
	data1, data2 []byte
}

func newQuotaSetup(t *testing.T, b backend) *quotaSetup {
	t.Helper()
	q := &quotaSetup{clock: storetest.NewClock(time.Now()),
		data1: bytes.Repeat([]byte("scan-one"), wire.BlobChunk/4), data2: bytes.Repeat([]byte("scan-two"), wire.BlobChunk/4)}
	db := newTestDB(t, b)
	for _, f := range []**fixture{&q.f1, &q.f2} {
		srv, err := db.open(context.Background(), Options{Now: q.clock.Now, UploadQuota: 3 * wire.BlobChunk})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { srv.Close() })
		*f = fixtureFor(t, srv)
	}
	q.tok = q.f1.enroll("devA", townA, false)
	return q
}

// put sends one chunk of data through f and returns the HTTP status and
// refusal code.
func (q *quotaSetup) put(f *fixture, tok string, data []byte, off int) (int, string) {
	return f.refusal(wire.PathBlobPut, tok, wire.TypeBlobPut, wire.BlobPutRequest{Hash: hashOf(data), Offset: int64(off),
		Size: int64(len(data)), Data: data[off:min(off+wire.BlobChunk, len(data))]})
}

// TestUploadQuotaHoldsBackAttachmentsNotRecords: a device sending more
// attachment content in a day than the quota, spread over two servers on
// one database, is refused the excess with the "quota" code; every record
// of its push reaches the township, the content sent within the quota
// too, and the rest goes through the next day from where it stopped.
// Another device's budget is its own.
func TestUploadQuotaHoldsBackAttachmentsNotRecords(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		q := newQuotaSetup(t, b)
		if rep := q.f1.push(q.tok, change("devA", townA, store.KindPerson, "p1", "p1", map[string]string{"name": "张三"}),
			attachment("devA", townA, "att1", "p1", hashOf(q.data1)), attachment("devA", townA, "att2", "p1", hashOf(q.data2)),
			change("devA", townA, store.KindVisit, "v1", "p1", map[string]string{"person": "p1", "notes": "入户"})); rep.Accepted != 4 {
			t.Fatalf("push: %+v", rep)
		}
		q.f1.uploadBlob(q.tok, q.data1) // two chunks, through the first server
		if st, code := q.put(q.f2, q.tok, q.data2, 0); st != 200 {
			t.Fatalf("third chunk of the day: HTTP %d %s", st, code)
		}
		if st, code := q.put(q.f1, q.tok, q.data2, wire.BlobChunk); st != 429 || code != wire.CodeQuota {
			t.Fatalf("fourth chunk of the day: HTTP %d %q, want 429 %q", st, code, wire.CodeQuota)
		}
		if st, code := q.put(q.f2, q.tok, q.data2, wire.BlobChunk); st != 429 || code != wire.CodeQuota {
			t.Fatalf("fourth chunk through the other server: HTTP %d %q", st, code)
		}
		other := q.f2.enroll("devA2", townA, false)
		if got := entities(q.f2.pull(other)); !got["p1"] || !got["att1"] || !got["att2"] || !got["v1"] {
			t.Fatalf("the township received %v, want the person, both attachments and the visit", got)
		}
		q.mustGet(t, other, q.data1)
		if st, _ := q.f1.refusal(wire.PathBlobGet, other, wire.TypeBlobGet, wire.BlobGetRequest{Hash: hashOf(q.data2)}); st == 200 {
			t.Fatal("half an upload served")
		}
		q.otherDeviceHasItsOwnBudget(t)
		q.clock.Add(24 * time.Hour)
		if want, off := q.f1.blobWanted(q.tok, hashOf(q.data2)); !want || off != wire.BlobChunk {
			t.Fatalf("next day the server wants %v from %d, want the rest from %d", want, off, wire.BlobChunk)
		}
		if st, code := q.put(q.f1, q.tok, q.data2, wire.BlobChunk); st != 200 {
			t.Fatalf("next day: HTTP %d %s", st, code)
		}
		q.mustGet(t, other, q.data2)
	})
}

// otherDeviceHasItsOwnBudget: a device of township B sends three chunks
// the day A's device is over its quota.
func (q *quotaSetup) otherDeviceHasItsOwnBudget(t *testing.T) {
	t.Helper()
	tokB := q.f1.enroll("devB", townB, false)
	dataB := bytes.Repeat([]byte("B's form "), wire.BlobChunk/3)
	if rep := q.f1.push(tokB, change("devB", townB, store.KindPerson, "pB", "pB", map[string]string{"name": "李四"}),
		attachment("devB", townB, "attB", "pB", hashOf(dataB))); rep.Accepted != 2 {
		t.Fatalf("B's push: %+v", rep)
	}
	q.f2.uploadBlob(tokB, dataB)
}

func (q *quotaSetup) mustGet(t *testing.T, tok string, data []byte) {
	t.Helper()
	var rep wire.BlobGetReply
	if st := q.f1.post(wire.PathBlobGet, tok, wire.TypeBlobGet, wire.BlobGetRequest{Hash: hashOf(data)}, wire.TypeBlobGetReply, &rep); st != 200 || rep.Size != int64(len(data)) {
		t.Fatalf("blob/get: HTTP %d, %d bytes of %d", st, rep.Size, len(data))
	}
}

// TestExchangeFileOverQuotaKeepsItsRecords: attachments an exchange file
// carries beyond the device's daily quota are not stored and the reply
// says so; the file's records are all accepted, and the attachments go
// with a file of the next day.
func TestExchangeFileOverQuotaKeepsItsRecords(t *testing.T) {
	q := newQuotaSetup(t, backendOf(t))
	en := q.f1.enrollReply("devX", townA, false)
	big := q.data2
	req := wire.FileRequest{ID: "r1", Device: "devX", PushUpTo: 2, Blobs: []wire.FileBlob{{Hash: hashOf(q.data1), Data: q.data1}, {Hash: hashOf(big), Data: big}},
		Push: wire.EncodeChanges([]*store.Change{change("devX", townA, store.KindPerson, "px", "px", map[string]string{"name": "王五"}),
			attachment("devX", townA, "attx1", "px", hashOf(q.data1)), attachment("devX", townA, "attx2", "px", hashOf(big))})}
	rep := q.exchange(t, en.ExchangeKey, req)
	if rep.Push.Accepted != 3 || !rep.OverQuota || len(rep.Stored) != 1 || rep.Stored[0] != hashOf(q.data1) {
		t.Fatalf("over quota: accepted %d, stored %d, over quota %v; want 3 records, the first file, and the quota told",
			rep.Push.Accepted, len(rep.Stored), rep.OverQuota)
	}
	q.clock.Add(24 * time.Hour)
	req.ID, req.Blobs = "r2", req.Blobs[1:]
	if rep := q.exchange(t, en.ExchangeKey, req); rep.OverQuota || len(rep.Stored) != 1 {
		t.Fatalf("next day: stored %d, over quota %v", len(rep.Stored), rep.OverQuota)
	}
}

func (q *quotaSetup) exchange(t *testing.T, key []byte, req wire.FileRequest) *wire.FileReply {
	t.Helper()
	reply, err := q.f1.srv.Exchange(context.Background(), requestFile(t, key, req.Device, req))
	if err != nil {
		t.Fatal(err)
	}
	body, err := wire.OpenFile(key, wire.FileToDevice, reply)
	var rep wire.FileReply
	if err != nil || wire.UnmarshalFile(body, wire.TypeFileReply, &rep) != nil {
		t.Fatalf("reply does not open: %v", err)
	}
	return &rep
}

// TestAttachmentLimitIsTheApps: the server takes an attachment of the
// largest size the app takes, and refuses one byte more.
func TestAttachmentLimitIsTheApps(t *testing.T) {
	f := newFixture(t)
	tok := f.enroll("devA", townA, false)
	hash := hashOf([]byte("a 20 MB scan"))
	if rep := f.push(tok, change("devA", townA, store.KindPerson, "p1", "p1", map[string]string{"name": "张三"}),
		attachment("devA", townA, "att1", "p1", hash)); rep.Accepted != 2 {
		t.Fatalf("push: %+v", rep)
	}
	chunk := make([]byte, wire.BlobChunk)
	put := func(size int64) (int, string) {
		return f.refusal(wire.PathBlobPut, tok, wire.TypeBlobPut, wire.BlobPutRequest{Hash: hash, Size: size, Data: chunk})
	}
	if st, code := put(store.MaxAttachment + 1); st != 413 || code != wire.CodeTooLarge {
		t.Fatalf("an attachment over the app's limit: HTTP %d %q", st, code)
	}
	if st, code := put(store.MaxAttachment); st != 200 {
		t.Fatalf("an attachment at the app's limit: HTTP %d %q", st, code)
	}
}

// TestProofOfHeldContentCountsAgainstTheQuota: content the server holds
// already (sent by another township) is streamed again as proof, and
// those bytes count against the device's daily quota like any upload.
func TestProofOfHeldContentCountsAgainstTheQuota(t *testing.T) {
	q := newQuotaSetup(t, backendOf(t))
	tokB := q.f1.enroll("devB", townB, false)
	if rep := q.f1.push(tokB, change("devB", townB, store.KindPerson, "pB", "pB", map[string]string{"name": "李四"}),
		attachment("devB", townB, "attB", "pB", hashOf(q.data1))); rep.Accepted != 2 {
		t.Fatalf("B's push: %+v", rep)
	}
	q.f1.uploadBlob(tokB, q.data1)
	if rep := q.f1.push(q.tok, change("devA", townA, store.KindPerson, "p1", "p1", map[string]string{"name": "张三"}),
		attachment("devA", townA, "att1", "p1", hashOf(q.data1)), attachment("devA", townA, "att2", "p1", hashOf(q.data2))); rep.Accepted != 3 {
		t.Fatalf("A's push: %+v", rep)
	}
	q.f1.uploadBlob(q.tok, q.data2)
	if st, code := q.put(q.f1, q.tok, q.data1, 0); st != 200 {
		t.Fatalf("first chunk of the proof, the day's third: HTTP %d %s", st, code)
	}
	if st, code := q.put(q.f1, q.tok, q.data1, wire.BlobChunk); st != 429 || code != wire.CodeQuota {
		t.Fatalf("second chunk of the proof, the day's fourth: HTTP %d %q", st, code)
	}
	q.clock.Add(24 * time.Hour)
	if st, code := q.put(q.f1, q.tok, q.data1, wire.BlobChunk); st != 200 {
		t.Fatalf("next day: HTTP %d %s", st, code)
	}
	q.mustGet(t, q.tok, q.data1)
}
