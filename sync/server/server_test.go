package server

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rehabdesk/store"
	"rehabdesk/sync/wire"
)

const (
	townA = "520102016"
	townB = "520102017"
)

type fixture struct {
	t   *testing.T
	srv *Server
	url string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureOn(t, backendOf(t))
}

// enroll returns a token for a new device.
func (f *fixture) enroll(device, township string, county bool) string {
	f.t.Helper()
	return f.enrollReply(device, township, county).Token
}

// enrollReply enrolls a new device and returns the whole reply.
func (f *fixture) enrollReply(device, township string, county bool) *wire.EnrollReply {
	f.t.Helper()
	code, err := f.srv.NewEnrollCode(context.Background(), township, county, time.Hour)
	if err != nil {
		f.t.Fatal(err)
	}
	return f.enrollWith(code, device, township)
}

// enrollWith enrolls a device with a code already issued.
func (f *fixture) enrollWith(code, device, township string) *wire.EnrollReply {
	f.t.Helper()
	var rep wire.EnrollReply
	if st := f.post(wire.PathEnroll, "", wire.TypeEnrollRequest,
		wire.EnrollRequest{Code: code, Township: township, Device: device}, wire.TypeEnrollReply, &rep); st != 200 {
		f.t.Fatalf("enroll: HTTP %d", st)
	}
	return &rep
}

// post sends one request and decodes the reply; it returns the HTTP status.
func (f *fixture) post(path, token string, rt wire.Type, req any, pt wire.Type, rep any) int {
	f.t.Helper()
	body, err := wire.Marshal(rt, req)
	if err != nil {
		f.t.Fatal(err)
	}
	return f.postRaw(path, token, body, pt, rep)
}

func (f *fixture) postRaw(path, token string, body []byte, pt wire.Type, rep any) int {
	f.t.Helper()
	hreq, _ := http.NewRequest(http.MethodPost, f.url+path, bytes.NewReader(body))
	if token != "" {
		hreq.Header.Set("Authorization", "Bearer "+token)
	}
	hrep, err := http.DefaultClient.Do(hreq)
	if err != nil {
		f.t.Fatal(err)
	}
	defer hrep.Body.Close()
	data, _ := io.ReadAll(hrep.Body)
	if hrep.StatusCode == 200 {
		if err := wire.Unmarshal(data, pt, rep); err != nil {
			f.t.Fatal(err)
		}
	}
	return hrep.StatusCode
}

func (f *fixture) push(token string, changes ...*store.Change) *wire.PushReply {
	f.t.Helper()
	var rep wire.PushReply
	if st := f.post(wire.PathPush, token, wire.TypePushRequest, wire.PushRequest{Changes: wire.EncodeChanges(changes)},
		wire.TypePushReply, &rep); st != 200 {
		f.t.Fatalf("push: HTTP %d", st)
	}
	return &rep
}

func (f *fixture) pull(token string) []*store.Change {
	f.t.Helper()
	var all []*store.Change
	cursor := int64(0)
	for {
		var rep wire.PullReply
		if st := f.post(wire.PathPull, token, wire.TypePullRequest, wire.PullRequest{Cursor: cursor, Limit: 3},
			wire.TypePullReply, &rep); st != 200 {
			f.t.Fatalf("pull: HTTP %d", st)
		}
		cs, err := rep.Changes.Changes()
		if err != nil {
			f.t.Fatal(err)
		}
		all, cursor = append(all, cs...), rep.Next
		if !rep.More {
			return all
		}
	}
}

var clock int64 = 1764400000000

// change makes a change as device dev of township town would write it.
func change(dev, town string, kind store.Kind, id, person string, fields map[string]string) *store.Change {
	clock += 1000
	return &store.Change{HLC: store.HLC{Wall: clock}, Device: dev, Kind: kind, EntityID: id, Township: town,
		PersonID: person, User: "officer", Fields: fields, Bases: map[string][]string{}}
}

func entities(cs []*store.Change) map[string]bool {
	out := map[string]bool{}
	for _, c := range cs {
		out[c.EntityID] = true
	}
	return out
}

func TestRefusedChangesDoNotBlockThePage(t *testing.T) {
	f := newFixture(t)
	tokA := f.enroll("devA", townA, false)
	tokB := f.enroll("devB", townB, false)
	f.push(tokB, change("devB", townB, store.KindPerson, "pB", "pB", map[string]string{"name": "李四"}))
	rep := f.push(tokA,
		change("devA", townA, store.KindPerson, "p1", "p1", map[string]string{"name": "张三"}),
		change("devX", townA, store.KindPerson, "p2", "p2", map[string]string{"name": "冒名"}),   // not its own change
		change("devA", townB, store.KindPerson, "p3", "p3", map[string]string{"name": "越界"}),   // another township
		change("devA", townA, store.KindPerson, "pB", "pB", map[string]string{"name": "改名"}),   // B's person
		change("devA", townA, store.KindVisit, "v1", "pB", map[string]string{"person": "pB"}),  // visit of B's person
		change("devA", townA, store.KindPerson, "p4", "p4", map[string]string{"no_such": "x"}), // unknown field
		change("devA", townA, store.KindPerson, "p5", "p5", map[string]string{"name": "王五"}),
	)
	if rep.Accepted != 2 || len(rep.Rejected) != 5 {
		t.Fatalf("push reply %+v", rep)
	}
	want := []string{ReasonForeignDevice, ReasonOutside, ReasonOutside, ReasonOutside, ReasonUnknownField}
	for i, r := range rep.Rejected {
		if r.Reason != want[i] {
			t.Errorf("rejection %d: %s, want %s", i, r.Reason, want[i])
		}
	}
	if got := entities(f.pull(tokB)); len(got) != 0 {
		t.Fatalf("B received %v", got)
	}
	if got := entities(f.pull(f.enroll("devA2", townA, false))); !got["p1"] || !got["p5"] || len(got) != 2 {
		t.Fatalf("A2 received %v", got)
	}
}

func TestRepeatedPushStoresNothingTwice(t *testing.T) {
	f := newFixture(t)
	tok := f.enroll("devA", townA, false)
	page := []*store.Change{
		change("devA", townA, store.KindPerson, "p1", "p1", map[string]string{"name": "张三"}),
		change("devA", townA, store.KindPerson, "p1", "p1", map[string]string{"phone": "13800000000"}),
	}
	f.push(tok, page...)
	before, err := f.srv.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rep := f.push(tok, page[1], page[0]) // again, and out of order
	after, err := f.srv.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Duplicate != 2 || rep.Accepted != 0 || before != after {
		t.Fatalf("repeat: %+v, stats %v -> %v", rep, before, after)
	}
}

func TestTransferMovesHistoryAndLateEditsFollow(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tokA, tokB := f.enroll("devA", townA, false), f.enroll("devB", townB, false)
	f.push(tokA,
		change("devA", townA, store.KindPerson, "p1", "p1", map[string]string{"name": "张三"}),
		change("devA", townA, store.KindVisit, "v1", "p1", map[string]string{"person": "p1", "notes": "入户"}),
	)
	if len(f.pull(tokB)) != 0 {
		t.Fatal("B saw A's person before the transfer")
	}
	late := change("devA", townA, store.KindPerson, "p1", "p1", map[string]string{"phone": "13800000000"})
	f.push(tokA, change("devA", townA, store.KindPerson, "p1", "p1", map[string]string{store.FieldTownship: townB}))
	// An edit made on A before it learnt of the transfer is kept and goes to B.
	if rep := f.push(tokA, late); rep.Accepted != 1 {
		t.Fatalf("late edit: %+v", rep)
	}
	got := f.pull(tokB)
	if len(got) != 4 || !entities(got)["v1"] {
		t.Fatalf("B received %d changes %v", len(got), entities(got))
	}
	recs, err := f.srv.Records(ctx, townB)
	if err != nil {
		t.Fatal(err)
	}
	if recs["p1"] == nil || recs["p1"].Fields["phone"] != "13800000000" || recs["v1"] == nil {
		t.Fatalf("B's state %v", recs)
	}
	if recs, err := f.srv.Records(ctx, townA); err != nil || len(recs) != 0 {
		t.Fatalf("A still holds %v (error %v)", recs, err)
	}
	// A's devices may still edit the person they knew; B's may edit too.
	if rep := f.push(tokB, change("devB", townB, store.KindPerson, "p1", "p1", map[string]string{"notes": "转入"})); rep.Accepted != 1 {
		t.Fatalf("B edit: %+v", rep)
	}
}

func TestCountyDeviceSeesTheCountyAndCannotPush(t *testing.T) {
	f := newFixture(t)
	tokA, tokB := f.enroll("devA", townA, false), f.enroll("devB", townB, false)
	f.push(tokA, change("devA", townA, store.KindPerson, "p1", "p1", map[string]string{"name": "张三"}))
	f.push(tokB, change("devB", townB, store.KindPerson, "p2", "p2", map[string]string{"name": "李四"}))
	tokC := f.enroll("devC", townA, true)
	if got := entities(f.pull(tokC)); !got["p1"] || !got["p2"] {
		t.Fatalf("county device received %v", got)
	}
	var rep wire.PushReply
	st := f.post(wire.PathPush, tokC, wire.TypePushRequest, wire.PushRequest{Changes: wire.EncodeChanges(
		[]*store.Change{change("devC", townA, store.KindPerson, "p3", "p3", map[string]string{"name": "王五"})})}, wire.TypePushReply, &rep)
	if st != http.StatusForbidden {
		t.Fatalf("county push: HTTP %d", st)
	}
}

func TestBadRequestsChangeNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tok := f.enroll("devA", townA, false)
	good, err := wire.Marshal(wire.TypePushRequest, wire.PushRequest{Changes: wire.EncodeChanges(
		[]*store.Change{change("devA", townA, store.KindPerson, "p1", "p1", map[string]string{"name": "张三"})})})
	if err != nil {
		t.Fatal(err)
	}
	garbled := bytes.Clone(good)
	garbled[len(garbled)-12] ^= 0xff
	cases := map[string]struct {
		body   []byte
		status int
	}{
		"truncated": {good[:len(good)/2], http.StatusBadRequest},
		"garbled":   {garbled, http.StatusBadRequest},
		"garbage":   {[]byte("hello"), http.StatusBadRequest},
		"oversized": {make([]byte, wire.MaxMessage+10), http.StatusRequestEntityTooLarge},
	}
	for name, c := range cases {
		if st := f.postRaw(wire.PathPush, tok, c.body, wire.TypePushReply, nil); st != c.status {
			t.Errorf("%s: HTTP %d, want %d", name, st, c.status)
		}
	}
	if st, err := f.srv.Stats(ctx); err != nil || st.Changes != 0 {
		t.Fatalf("bad requests stored %d changes (error %v)", st.Changes, err)
	}
	if st := f.postRaw(wire.PathPush, "rdt1.forged", good, wire.TypePushReply, nil); st != http.StatusUnauthorized {
		t.Fatalf("forged token: HTTP %d", st)
	}
}

func TestExpiredCodeAndRateLimit(t *testing.T) {
	now := time.Now()
	srv := openTest(t, Options{Now: func() time.Time { return now }, EnrollFailures: 3})
	ctx := context.Background()
	srv.AddTownship(ctx, townA)
	code, err := srv.NewEnrollCode(ctx, townA, false, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Hour)
	_, err = srv.Enroll(ctx, "1.2.3.4", &wire.EnrollRequest{Code: code, Township: townA, Device: "d"})
	if wire.AsError(err).Code != wire.CodeCodeExpired {
		t.Fatalf("expired code: %v", err)
	}
	for i := 0; i < 3; i++ {
		srv.Enroll(ctx, "1.2.3.4", &wire.EnrollRequest{Code: "WRONG", Township: townA, Device: "d"})
	}
	fresh, err := srv.NewEnrollCode(ctx, townA, false, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	_, err = srv.Enroll(ctx, "1.2.3.4", &wire.EnrollRequest{Code: fresh, Township: townA, Device: "d"})
	if wire.AsError(err).Code != wire.CodeRateLimited {
		t.Fatalf("guessing not limited: %v", err)
	}
	if _, err := srv.Enroll(ctx, "5.6.7.8", &wire.EnrollRequest{Code: fresh, Township: townA, Device: "d"}); err != nil {
		t.Fatalf("other address refused: %v", err)
	}
}

func TestServerFileHoldsNoPersonalDataInClear(t *testing.T) {
	db := newTestDB(t, backendOf(t))
	ctx := context.Background()
	srv, err := db.open(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv.AddTownship(ctx, townA)
	hs := httptest.NewServer(srv.Handler())
	f := &fixture{t: t, srv: srv, url: hs.URL}
	tok := f.enroll("devA", townA, false)
	f.push(tok, change("devA", townA, store.KindPerson, "p1", "p1", map[string]string{"name": "王秘密", "id_number": "52010219900101123X"}))
	if recs, err := srv.Records(ctx, townA); err != nil || recs["p1"].Fields["name"] != "王秘密" {
		t.Fatalf("records: %v (error %v)", recs["p1"], err)
	}
	hs.Close()
	stored := storedData(t, db, srv)
	srv.Close()
	for name, data := range stored {
		for _, secret := range []string{"王秘密", "52010219900101123X"} {
			if bytes.Contains(data, []byte(secret)) || bytes.Contains(data, []byte(hex.EncodeToString([]byte(secret)))) {
				t.Fatalf("%s holds personal data in clear", name)
			}
		}
	}
	if _, err := db.open(ctx, Options{KeyFile: filepath.Join(db.dir, "other.key")}); err != nil {
		t.Fatal(err)
	}
	other, err := db.open(ctx, Options{KeyFile: filepath.Join(db.dir, "other.key")})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Records(ctx, townA); !errors.Is(err, ErrKeyMismatch) {
		t.Fatalf("wrong key: %v", err)
	}
}

// storedData is everything the server's database holds, by file or table:
// the SQLite file and its log as bytes (after srv closes), or every
// PostgreSQL table as text (bytea columns in hex).
func storedData(t *testing.T, db testDB, srv *Server) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	if db.pg == "" {
		srv.Close()
		for _, name := range []string{"c.db", "c.db-wal"} {
			out[name], _ = os.ReadFile(filepath.Join(db.dir, name))
		}
		return out
	}
	tables, err := queryStrings(context.Background(), srv.db, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range tables {
		rows, err := queryStrings(context.Background(), srv.db, "SELECT CAST(t AS TEXT) FROM "+quoteIdent(table)+" t")
		if err != nil {
			t.Fatal(err)
		}
		out[table] = []byte(strings.Join(rows, "\n"))
	}
	return out
}
