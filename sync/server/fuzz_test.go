package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

// fuzzServer is a server with a device of townA, and the device's token.
// Failures are not rate-limited, so that every input reaches the decoder.
func fuzzServer(f *testing.F) (*Server, string) {
	ctx := context.Background()
	srv := openTest(f, Options{EnrollFailures: 1 << 30})
	if err := srv.AddTownship(ctx, townA); err != nil {
		f.Fatal(err)
	}
	code, err := srv.NewEnrollCode(ctx, townA, false, time.Hour)
	if err != nil {
		f.Fatal(err)
	}
	rep, err := srv.Enroll(ctx, "127.0.0.1", &wire.EnrollRequest{Code: code, Township: townA, Device: "devA"})
	if err != nil {
		f.Fatal(err)
	}
	return srv, rep.Token
}

// envelope gzips plain JSON (then raw bytes, as attachment chunks travel)
// into an envelope of type t, so that the fuzzer explores the JSON the
// server decodes rather than gzip's checksums.
func envelope(t wire.Type, plain, raw []byte) []byte {
	var buf bytes.Buffer
	buf.WriteString(wire.Magic)
	buf.Write([]byte{wire.Version, byte(t)})
	zw := gzip.NewWriter(&buf)
	zw.Write(plain)
	zw.Close()
	buf.Write(raw)
	return buf.Bytes()
}

// fuzzEndpoint fuzzes one endpoint through the server's handler: whatever
// the body, the server answers (no panic), with the reply type or a coded
// refusal, never with an internal error, and stays able to serve.
func fuzzEndpoint(f *testing.F, path string, rt, pt wire.Type, seeds ...any) {
	srv, token := fuzzServer(f)
	h := srv.Handler()
	for _, s := range seeds {
		plain, err := wire.Marshal(rt, s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(inflated(f, plain), []byte(nil), false)
		f.Add(plain, []byte(nil), true)
	}
	f.Add([]byte(`{"changes":{"w":[0,0,0],"s":["x"]}}`), []byte{1, 2}, false)
	f.Fuzz(func(t *testing.T, plain, raw []byte, asIs bool) {
		body := plain
		if !asIs {
			body = envelope(rt, plain, raw)
		}
		req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
		if path != wire.PathEnroll {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		checkAnswer(t, rec, pt)
	})
}

// inflated is the JSON inside an encoded message.
func inflated(f *testing.F, msg []byte) []byte {
	zr, err := gzip.NewReader(bytes.NewReader(msg[len(wire.Magic)+2:]))
	if err != nil {
		f.Fatal(err)
	}
	zr.Multistream(false)
	var out bytes.Buffer
	out.ReadFrom(zr)
	return out.Bytes()
}

func checkAnswer(t *testing.T, rec *httptest.ResponseRecorder, pt wire.Type) {
	got, err := wire.PeekType(rec.Body.Bytes())
	if err != nil {
		t.Fatalf("HTTP %d with no envelope: %v", rec.Code, err)
	}
	if got == wire.TypeError {
		var e wire.ErrorReply
		if err := wire.Unmarshal(rec.Body.Bytes(), wire.TypeError, &e); err != nil || e.Code == wire.CodeServer || rec.Code == http.StatusOK {
			t.Fatalf("HTTP %d refusal %q: %v", rec.Code, e.Code, err)
		}
		return
	}
	if got != pt || rec.Code != http.StatusOK {
		t.Fatalf("HTTP %d with message type %d, want %d", rec.Code, got, pt)
	}
}

func FuzzEnroll(f *testing.F) {
	fuzzEndpoint(f, wire.PathEnroll, wire.TypeEnrollRequest, wire.TypeEnrollReply,
		wire.EnrollRequest{Code: "ABCD-EFGH-JKMN", Township: townA, Device: "devB", Label: "笔记本"})
}

func FuzzPush(f *testing.F) {
	p := change("devA", townA, store.KindPerson, "p1", "p1", map[string]string{"name": "张三", "id_number": "52010219900101123X"})
	v := change("devA", townA, store.KindVisit, "v1", "p1", map[string]string{"person": "p1", "date": "2026-11-01", "notes": "入户"})
	v.Bases["notes"] = []string{p.Version().String()}
	fuzzEndpoint(f, wire.PathPush, wire.TypePushRequest, wire.TypePushReply,
		wire.PushRequest{Changes: wire.EncodeChanges([]*store.Change{p, v})})
}

func FuzzPull(f *testing.F) {
	fuzzEndpoint(f, wire.PathPull, wire.TypePullRequest, wire.TypePullReply, wire.PullRequest{Cursor: 3, Limit: 100})
}

func FuzzStatus(f *testing.F) {
	fuzzEndpoint(f, wire.PathStatus, wire.TypeStatusRequest, wire.TypeStatusReply, wire.StatusRequest{Cursor: 7})
}

func FuzzAuditPush(f *testing.F) {
	fuzzEndpoint(f, wire.PathAuditPush, wire.TypeAuditPush, wire.TypeAuditPushReply,
		wire.AuditPushRequest{Entries: []wire.AuditEntry{{HLC: "0001764400000000-000000", Device: "devA", Township: townA,
			User: "officer", Action: "reveal", Record: "p1", Person: "p1", Time: 1764400000000}}})
}

func FuzzAuditPull(f *testing.F) {
	fuzzEndpoint(f, wire.PathAuditPull, wire.TypeAuditPull, wire.TypeAuditPullReply, wire.AuditPullRequest{Cursor: 1})
}

const fuzzHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

func FuzzBlobHave(f *testing.F) {
	fuzzEndpoint(f, wire.PathBlobHave, wire.TypeBlobHave, wire.TypeBlobHaveReply, wire.BlobHaveRequest{Hashes: []string{fuzzHash}})
}

func FuzzBlobPut(f *testing.F) {
	fuzzEndpoint(f, wire.PathBlobPut, wire.TypeBlobPut, wire.TypeBlobPutReply,
		wire.BlobPutRequest{Hash: fuzzHash, Offset: 0, Size: 4, Data: []byte("test")})
}

func FuzzBlobGet(f *testing.F) {
	fuzzEndpoint(f, wire.PathBlobGet, wire.TypeBlobGet, wire.TypeBlobGetReply, wire.BlobGetRequest{Hash: fuzzHash, Offset: 0})
}

// FuzzExchange feeds `countyd exchange` any file: it answers with a reply
// file or a coded refusal, never an internal error.
func FuzzExchange(f *testing.F) {
	srv, _ := fuzzServer(f)
	f.Add([]byte(nil))
	f.Add(envelope(wire.TypeFileRequest, []byte(`{"id":"x","device":"devA","cursor":0}`), make([]byte, 32)))
	f.Fuzz(func(t *testing.T, file []byte) {
		_, err := srv.Exchange(context.Background(), file)
		if err != nil && wire.AsError(err).Code == wire.CodeServer {
			t.Fatalf("internal error: %v", err)
		}
	})
}
