package server

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// requestFile seals a request of device dev with key.
func requestFile(t *testing.T, key []byte, dev string, req wire.FileRequest) []byte {
	t.Helper()
	msg, err := wire.Marshal(wire.TypeFileRequest, req)
	if err != nil {
		t.Fatal(err)
	}
	file, err := wire.SealFile(key, wire.FileToServer, dev, msg)
	if err != nil {
		t.Fatal(err)
	}
	return file
}

func isBadFile(err error) bool {
	return err != nil && wire.AsError(err).Code == wire.CodeBadFile
}

func TestExchangeFilesAreSealedAndIdempotent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	en := f.enrollReply("devA", townA, false)
	other := f.enrollReply("devB", townA, false)
	req := wire.FileRequest{ID: "r1", Device: "devA", Push: wire.EncodeChanges([]*store.Change{
		change("devA", townA, store.KindPerson, "p1", "p1", map[string]string{"name": "张三"})}), PushUpTo: 7}
	file := requestFile(t, en.ExchangeKey, "devA", req)
	msg, err := wire.Marshal(wire.TypeFileRequest, req)
	if err != nil {
		t.Fatal(err)
	}
	bad := map[string][]byte{
		"truncated":   file[:len(file)-40],
		"empty":       nil,
		"old format":  append(bytes.Clone(msg), make([]byte, 32)...),
		"token hash":  requestFile(t, wire.TokenHash(en.Token), "devA", req), // county.db stores this
		"other key":   requestFile(t, other.ExchangeKey, "devA", req),
		"unknown dev": requestFile(t, en.ExchangeKey, "devZ", req),
		"claims A":    requestFile(t, other.ExchangeKey, "devB", req), // sealed by B, naming A inside
	}
	for name, data := range bad {
		if _, err := f.srv.Exchange(ctx, data); !isBadFile(err) {
			t.Errorf("%s: %v, want the bad-file refusal", name, err)
		}
	}
	if st, err := f.srv.Stats(ctx); err != nil || st.Changes != 0 {
		t.Fatal("a refused file changed the server", err)
	}
	for i := 0; i < 2; i++ {
		reply, err := f.srv.Exchange(ctx, file)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.srv.Exchange(ctx, reply); !isBadFile(err) {
			t.Fatalf("a reply passed as a request: %v", err)
		}
		body, err := wire.OpenFile(en.ExchangeKey, wire.FileToDevice, reply)
		var rep wire.FileReply
		if err != nil || wire.UnmarshalFile(body, wire.TypeFileReply, &rep) != nil {
			t.Fatalf("reply does not open: %v", err)
		}
		if rep.PushUpTo != 7 || rep.Push.Accepted+rep.Push.Duplicate != 1 || rep.Push.Duplicate != i {
			t.Fatalf("exchange %d: %+v", i, rep)
		}
	}
	if st, err := f.srv.Stats(ctx); err != nil || st.Changes != 1 {
		t.Fatalf("%d changes stored (error %v)", st.Changes, err)
	}
}

// The exchange key comes from the key file, not from county.db: the same
// database under another key file opens none of the device's files, and a
// device enrolled again gets a new key.
func TestExchangeKeyNeedsTheKeyFile(t *testing.T) {
	db := newTestDB(t, backendOf(t))
	ctx := context.Background()
	srv, err := db.open(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv.AddTownship(ctx, townA)
	d := &device{ID: "devA", tokenHash: wire.TokenHashHex("rdt1.x")}
	srv.saveDevice(ctx, &device{ID: "devA", Township: townA}, "", "rdt1.x")
	key := srv.exchangeKey(d)
	srv.Close()
	file := requestFile(t, key, "devA", wire.FileRequest{ID: "r", Device: "devA"})
	stolen, err := db.open(ctx, Options{KeyFile: filepath.Join(db.dir, "guess.key")})
	if err != nil {
		t.Fatal(err)
	}
	defer stolen.Close()
	if _, err := stolen.Exchange(ctx, file); !isBadFile(err) {
		t.Fatalf("database without its key file opened a file: %v", err)
	}
	again := &device{ID: "devA", tokenHash: wire.TokenHashHex("rdt1.y")}
	if bytes.Equal(stolen.exchangeKey(again), stolen.exchangeKey(d)) {
		t.Fatal("re-enrollment kept the exchange key")
	}
}

func TestStatusHandsOutTheEnrolledExchangeKey(t *testing.T) {
	f := newFixture(t)
	en := f.enrollReply("devA", townA, false)
	var rep wire.StatusReply
	if st := f.post(wire.PathStatus, en.Token, wire.TypeStatusRequest, wire.StatusRequest{}, wire.TypeStatusReply, &rep); st != 200 {
		t.Fatalf("status: HTTP %d", st)
	}
	if len(en.ExchangeKey) != wire.ExchangeKeyLen || !bytes.Equal(rep.ExchangeKey, en.ExchangeKey) {
		t.Fatalf("keys: enroll %x, status %x", en.ExchangeKey, rep.ExchangeKey)
	}
}
