package client

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"rehabdesk/internal/ledgertest"
	"rehabdesk/store"
	"rehabdesk/store/ledger"
	"rehabdesk/sync/wire"
)

// Records a device creates in bulk — a ledger import — get ids that travel
// as small steps, not whole (store/ids.go, wire/ids.go): most of the
// initial pull's bytes were ids before.
func TestImportedIDsTravelAsSteps(t *testing.T) {
	st := newDevice(t, townA)
	var csv bytes.Buffer
	if err := ledgertest.Generate(&csv, 200, 7); err != nil {
		t.Fatal(err)
	}
	if _, err := ledger.ImportBytes(context.Background(), st, csv.Bytes(), ledger.Options{}); err != nil {
		t.Fatal(err)
	}
	changes, err := st.LocalChanges(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	b := wire.EncodeChanges(changes)
	raw, err := base64.RawStdEncoding.DecodeString(b.R)
	if err != nil || len(changes) < 400 || len(b.S) != len(changes) {
		t.Fatalf("%d changes, ids packed %d: %v", len(changes), len(b.S), err)
	}
	if whole := len(raw) / 10; whole > len(changes)/10 {
		t.Fatalf("%d of %d imported ids travel whole", whole, len(changes))
	}
}

// A full page of the longest notes (5,000 × 12 KB) would not fit one
// message: the server ends a page past wire.MaxPullBytes of payloads, and
// the device still gets every change, in more pages. Pushing them, the
// device ends its pages past wire.MaxPushBytes the same way.
func TestLongNotesArriveInSeveralPages(t *testing.T) {
	c := newCounty(t)
	a, b := c.enrolled(t, townA), c.enrolled(t, townA)
	p := put(t, a, store.KindPerson, "", map[string]string{"name": "张三", "id_number": idFor(1)})
	r := rand.New(rand.NewPCG(1, 1))
	// 400 notes of 4,000 Chinese characters (the longest a note may be):
	// 4.8 MB, past wire.MaxPullBytes and wire.MaxPushBytes
	const notes, noteLen = 400, 4000
	for range notes {
		put(t, a, store.KindVisit, "", map[string]string{"person": p, "date": "2026-11-01", "mode": "home", "visitor_kind": "staff",
			"notes": randomText(r, noteLen)})
	}
	pushPages := 0
	if _, err := Sync(context.Background(), a, func(p Progress) {
		if p.Phase == PhasePush {
			pushPages++
		}
	}, fastOpt); err != nil {
		t.Fatal(err)
	}
	if pushPages < 2 { // one page would pass wire.MaxPushBytes
		t.Fatalf("%d notes pushed in %d page", notes, pushPages)
	}
	pages := 0
	res, err := Sync(context.Background(), b, func(p Progress) {
		if p.Phase == PhasePull {
			pages++
		}
	}, fastOpt)
	if err != nil {
		t.Fatal(err)
	}
	if res.Pulled < notes+1 || pages < 2 {
		t.Fatalf("pulled %d changes in %d pages, want %d in at least 2", res.Pulled, pages, notes+1)
	}
	sameData(t, "visits on device b", visits(t, b), visits(t, a))
}

// visits is every visit of a device database: id -> fields.
func visits(t *testing.T, st *store.Store) map[string]map[string]string {
	t.Helper()
	rs, err := st.List(context.Background(), store.KindVisit, store.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]string{}
	for _, r := range rs {
		out[r.ID] = r.Fields
	}
	return out
}

// randomText is n random Chinese characters.
func randomText(r *rand.Rand, n int) string {
	var sb strings.Builder
	for range n {
		sb.WriteRune(rune(0x4e00 + r.IntN(0x9fa5-0x4e00)))
	}
	return sb.String()
}

// A server of another protocol version is reported as such at once: its
// replies cannot be read, so retrying them would only wait longer.
func TestServerOfAnotherVersionIsReportedWithoutRetrying(t *testing.T) {
	good, err := wire.Marshal(wire.TypeStatusReply, wire.StatusReply{Township: townA})
	if err != nil {
		t.Fatal(err)
	}
	oldReply := append([]byte(nil), good...)
	oldReply[len(wire.Magic)] = wire.Version - 1
	refusal, err := wire.Marshal(wire.TypeError, wire.ErrorReply{Code: wire.CodeVersion})
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]func(http.ResponseWriter){
		"old reply": func(w http.ResponseWriter) { w.Write(oldReply) },
		"refusal": func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusBadRequest)
			w.Write(refusal)
		},
	}
	for name, answer := range cases {
		var calls atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			calls.Add(1)
			answer(w)
		}))
		cn := newConn(srv.URL, "token", "", fastOpt.withDefaults())
		var rep wire.StatusReply
		err := cn.call(context.Background(), wire.PathStatus, wire.TypeStatusRequest, wire.StatusRequest{}, wire.TypeStatusReply, &rep)
		srv.Close()
		var we *wire.Error
		if !errors.As(err, &we) || we.Code != wire.CodeVersion || calls.Load() != 1 {
			t.Errorf("%s: got %v after %d requests, want a version refusal after 1", name, err, calls.Load())
		}
	}
}

// A device of protocol version 1 asking this server gets a refusal it can
// read: an error envelope of version 1 saying "version".
func TestOldDevicesReadTheVersionRefusal(t *testing.T) {
	c := newCounty(t)
	req, err := wire.Marshal(wire.TypeEnrollRequest, wire.EnrollRequest{Code: "x", Township: townA, Device: "d"})
	if err != nil {
		t.Fatal(err)
	}
	req[len(wire.Magic)] = 1
	hrep, err := http.Post(c.url+wire.PathEnroll, wire.ContentType, bytes.NewReader(req))
	if err != nil {
		t.Fatal(err)
	}
	defer hrep.Body.Close()
	body, err := io.ReadAll(hrep.Body)
	if err != nil {
		t.Fatal(err)
	}
	var er wire.ErrorReply
	if len(body) <= len(wire.Magic) || body[len(wire.Magic)] != 1 {
		t.Fatalf("refusal %q is not a version-1 envelope", body)
	}
	if err := wire.Unmarshal(body, wire.TypeError, &er); err != nil || er.Code != wire.CodeVersion {
		t.Fatalf("refusal: %+v, %v", er, err)
	}
}
