package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	"rehabdesk/store"
	"rehabdesk/store/valid"
	"rehabdesk/sync/wire"
)

// The hostile-device suite (issue 12): an enrolled device of township A
// speaks the protocol by hand with its own real token and tries to reach
// township B's records, through a real server on loopback. Each test is
// one attack; the server must refuse it and B must see nothing changed.

// hostileSetup gives two townships with one person each (pA, pB), a visit
// of pB and an officer account of B; tokA and tokB are their devices.
type hostileSetup struct {
	*fixture
	tokA, tokB string
}

func newHostile(t *testing.T) *hostileSetup {
	f := newFixture(t)
	h := &hostileSetup{fixture: f, tokA: f.enroll("devA", townA, false), tokB: f.enroll("devB", townB, false)}
	h.mustAccept(h.tokA, change("devA", townA, store.KindPerson, "pA", "pA", map[string]string{"name": "张三"}))
	h.mustAccept(h.tokB,
		change("devB", townB, store.KindPerson, "pB", "pB", map[string]string{"name": "李四", "id_number": "52010219900101123X"}),
		change("devB", townB, store.KindVisit, "vB", "pB", map[string]string{"person": "pB", "notes": "入户"}),
		change("devB", townB, store.KindAccount, "acctB", "", map[string]string{"username": "officerb", "role": "officer"}),
	)
	return h
}

func (h *hostileSetup) mustAccept(tok string, cs ...*store.Change) {
	h.t.Helper()
	if rep := h.push(tok, cs...); rep.Accepted != len(cs) {
		h.t.Fatalf("setup push refused: %+v", rep)
	}
}

// mustRefuse pushes one change and returns the refusal reason.
func (h *hostileSetup) mustRefuse(tok string, c *store.Change) string {
	h.t.Helper()
	rep := h.push(tok, c)
	if rep.Accepted != 0 || len(rep.Rejected) != 1 {
		h.t.Fatalf("hostile change to %s (%s) accepted: %+v", c.EntityID, c.Kind, rep)
	}
	return rep.Rejected[0].Reason
}

// townshipState is what a fresh device of the township would hold.
func (h *hostileSetup) townshipState(town string) map[string]*Record {
	h.t.Helper()
	recs, err := h.srv.Records(context.Background(), town)
	if err != nil {
		h.t.Fatal(err)
	}
	return recs
}

// pulledEntities is what a newly enrolled device of the township pulls.
func (h *hostileSetup) pulledEntities(dev, town string) map[string]bool {
	return entities(h.pull(h.enroll(dev, town, false)))
}

func TestHostileRenameThroughOwnPersonID(t *testing.T) {
	h := newHostile(t)
	h.mustRefuse(h.tokA, change("devA", townA, store.KindPerson, "pB", "pA", map[string]string{"name": "改名"}))
	if got := h.townshipState(townB)["pB"].Fields["name"]; got != "李四" {
		t.Fatalf("B's person renamed to %q", got)
	}
	if h.pulledEntities("devA2", townA)["pB"] || h.townshipState(townA)["pB"] != nil {
		t.Fatal("B's person shows in A")
	}
}

func TestHostileDisableOtherTownshipsOfficer(t *testing.T) {
	h := newHostile(t)
	h.mustRefuse(h.tokA, change("devA", townA, store.KindAccount, "acctB", "pA", map[string]string{"disabled": "1"}))
	h.mustRefuse(h.tokA, change("devA", townA, store.KindAccount, "acctB", "", map[string]string{"disabled": "1"}))
	if got := h.townshipState(townB)["acctB"].Fields["disabled"]; got != "" {
		t.Fatalf("B's officer disabled by A: %q", got)
	}
	for _, c := range h.pull(h.enroll("devB2", townB, false)) {
		if c.EntityID == "acctB" && c.Fields["disabled"] != "" {
			t.Fatal("B's devices receive A's disable")
		}
	}
}

func TestHostileAssignOtherTownshipsPersonToOwnVolunteer(t *testing.T) {
	h := newHostile(t)
	h.mustAccept(h.tokA, change("devA", townA, store.KindVolunteer, "volA", "", map[string]string{"name": "志愿者", "source": "other"}))
	tokV := h.enrollVolunteer("devV", townA, "volA")
	for _, person := range []string{"pA", "pB"} {
		h.mustRefuse(h.tokA, change("devA", townA, store.KindAssignment, "asg-"+person, person,
			map[string]string{"person": "pB", "member": "volA", "role": "volunteer"}))
	}
	got := entities(h.pull(tokV))
	if got["pB"] || got["vB"] {
		t.Fatalf("A's volunteer received B's person: %v", got)
	}
	if got := h.pulledEntities("devA2", townA); got["pB"] || got["vB"] {
		t.Fatalf("A received B's person: %v", got)
	}
}

func TestHostileTownshipFieldDoesNotStealAPerson(t *testing.T) {
	h := newHostile(t)
	for _, claim := range []string{"pA", "pB"} {
		h.mustRefuse(h.tokA, change("devA", townA, store.KindPerson, "pB", claim, map[string]string{store.FieldTownship: townA}))
	}
	h.mustRefuse(h.tokA, change("devA", townA, store.KindVisit, "vB", "pA", map[string]string{store.FieldTownship: townA}))
	if got := h.pulledEntities("devA2", townA); got["pB"] || got["vB"] {
		t.Fatalf("A pulled B's person: %v", got)
	}
	if recs := h.townshipState(townA); recs["pB"] != nil || recs["vB"] != nil {
		t.Fatal("the server counts B's person in A")
	}
	if got := h.pulledEntities("devB2", townB); !got["pB"] || !got["vB"] {
		t.Fatalf("B lost its person: %v", got)
	}
}

// A township's devices may still move their own persons out; a transfer
// is the one way a person changes township.
func TestTransferOutStillAllowed(t *testing.T) {
	h := newHostile(t)
	h.mustAccept(h.tokA, change("devA", townA, store.KindVisit, "vA", "pA", map[string]string{"person": "pA"}))
	h.mustAccept(h.tokA,
		change("devA", townA, store.KindPerson, "pA", "pA", map[string]string{store.FieldTownship: townB}),
		change("devA", townA, store.KindVisit, "vA", "pA", map[string]string{store.FieldTownship: townB}))
	if got := h.pulledEntities("devB2", townB); !got["pA"] || !got["vA"] {
		t.Fatalf("B did not receive the transferred person: %v", got)
	}
	// A cannot take them back; B can send them back.
	h.mustRefuse(h.tokA, change("devA", townA, store.KindPerson, "pA", "pA", map[string]string{store.FieldTownship: townA}))
	h.mustAccept(h.tokB, change("devB", townB, store.KindPerson, "pA", "pA", map[string]string{store.FieldTownship: townA}))
}

func (f *fixture) enrollVolunteer(device, township, volunteer string) string {
	f.t.Helper()
	code, err := f.srv.NewVolunteerCode(context.Background(), township, volunteer, time.Hour)
	if err != nil {
		f.t.Fatal(err)
	}
	return f.enrollWith(code, device, township).Token
}

// refusal posts a request that must be refused and returns its code.
func (f *fixture) refusal(path, token string, rt wire.Type, req any) (int, string) {
	f.t.Helper()
	body, err := wire.Marshal(rt, req)
	if err != nil {
		f.t.Fatal(err)
	}
	hreq, _ := http.NewRequest(http.MethodPost, f.url+path, bytes.NewReader(body))
	if token != "" {
		hreq.Header.Set("Authorization", "Bearer "+token)
	}
	hrep, err := http.DefaultClient.Do(hreq)
	if err != nil {
		f.t.Fatal(err)
	}
	defer hrep.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(hrep.Body)
	if hrep.StatusCode == 200 {
		return 200, ""
	}
	var er wire.ErrorReply
	if err := wire.Unmarshal(buf.Bytes(), wire.TypeError, &er); err != nil {
		f.t.Fatalf("refusal body: %v", err)
	}
	return hrep.StatusCode, er.Code
}

// uploadBlob sends content through blob/put in chunks, each chunk twice
// (a retry after a lost reply); it returns the hash.
func (f *fixture) uploadBlob(tok string, data []byte) string {
	f.t.Helper()
	h := hashOf(data)
	var rep wire.BlobPutReply
	for off := 0; !rep.Done; {
		chunk := data[off:min(off+wire.BlobChunk, len(data))]
		for i := 0; i < 2 && !rep.Done; i++ {
			if st := f.post(wire.PathBlobPut, tok, wire.TypeBlobPut, wire.BlobPutRequest{Hash: h, Offset: int64(off), Size: int64(len(data)), Data: chunk},
				wire.TypeBlobPutReply, &rep); st != 200 {
				f.t.Fatalf("upload at %d: HTTP %d", off, st)
			}
		}
		if rep.Next != int64(off+len(chunk)) {
			f.t.Fatalf("upload at %d: next %d", off, rep.Next)
		}
		off = int(rep.Next)
	}
	return h
}

func (f *fixture) blobWanted(tok, hash string) (bool, int64) {
	f.t.Helper()
	var rep wire.BlobHaveReply
	if st := f.post(wire.PathBlobHave, tok, wire.TypeBlobHave, wire.BlobHaveRequest{Hashes: []string{hash}}, wire.TypeBlobHaveReply, &rep); st != 200 {
		f.t.Fatalf("blob/have: HTTP %d", st)
	}
	for _, w := range rep.Want {
		if w.Hash == hash {
			return true, w.Offset
		}
	}
	return false, 0
}

func hashOf(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func attachment(dev, town, id, person, hash string) *store.Change {
	return change(dev, town, store.KindAttachment, id, person, map[string]string{"person": person, "kind": "other", "filename": "a.jpg", "sha256": hash})
}

func TestHostileBlobByHashAcrossTownships(t *testing.T) {
	h := newHostile(t)
	secret := []byte("B's scanned decision letter")
	hash := hashOf(secret)
	h.mustAccept(h.tokB, attachment("devB", townB, "attB", "pB", hash))
	h.uploadBlob(h.tokB, secret)
	never := hashOf([]byte("content nobody uploaded"))
	h.mustAccept(h.tokA, attachment("devA", townA, "attA", "pA", hash), attachment("devA", townA, "attA2", "pA", never))

	stOther, codeOther := h.refusal(wire.PathBlobGet, h.tokA, wire.TypeBlobGet, wire.BlobGetRequest{Hash: hash})
	stNever, codeNever := h.refusal(wire.PathBlobGet, h.tokA, wire.TypeBlobGet, wire.BlobGetRequest{Hash: never})
	if stOther == 200 {
		t.Fatal("blob/get served B's attachment to A by its hash")
	}
	if stOther != stNever || codeOther != codeNever {
		t.Fatalf("blob/get tells B's content (%d %s) from none (%d %s)", stOther, codeOther, stNever, codeNever)
	}
	wOther, offOther := h.blobWanted(h.tokA, hash)
	wNever, offNever := h.blobWanted(h.tokA, never)
	if wOther != wNever || offOther != offNever {
		t.Fatalf("blob/have tells that B uploaded the file: want %v@%d, for unknown content %v@%d", wOther, offOther, wNever, offNever)
	}
}

// A township that really holds the same file proves it by uploading it, and
// a transferred person's attachments follow them.
func TestBlobSharedContentAndTransfers(t *testing.T) {
	h := newHostile(t)
	data := bytes.Repeat([]byte("the same form, scanned in both townships. "), 4000) // three chunks
	hash := hashOf(data)
	h.mustAccept(h.tokB, attachment("devB", townB, "attB", "pB", hash))
	h.uploadBlob(h.tokB, data)
	h.mustAccept(h.tokA, attachment("devA", townA, "attA", "pA", hash))
	// Wrong content under the hash proves nothing.
	forged := bytes.Clone(data)
	forged[len(forged)-1] ^= 1
	var put wire.BlobPutReply
	for off := 0; off < len(forged); off += wire.BlobChunk {
		st := h.post(wire.PathBlobPut, h.tokA, wire.TypeBlobPut, wire.BlobPutRequest{Hash: hash, Offset: int64(off), Size: int64(len(data)),
			Data: forged[off:min(off+wire.BlobChunk, len(forged))]}, wire.TypeBlobPutReply, &put)
		if st == 200 && put.Done {
			t.Fatal("forged content accepted as proof")
		}
	}
	if st, _ := h.refusal(wire.PathBlobGet, h.tokA, wire.TypeBlobGet, wire.BlobGetRequest{Hash: hash}); st == 200 {
		t.Fatal("A reads the content after a forged proof")
	}
	h.uploadBlob(h.tokA, data)
	var rep wire.BlobGetReply
	if st := h.post(wire.PathBlobGet, h.tokA, wire.TypeBlobGet, wire.BlobGetRequest{Hash: hash, Offset: wire.BlobChunk}, wire.TypeBlobGetReply, &rep); st != 200 || !bytes.Equal(rep.Data, data[wire.BlobChunk:2*wire.BlobChunk]) {
		t.Fatalf("A after uploading: HTTP %d", st)
	}
	mine := []byte("only B has this one")
	h.mustAccept(h.tokB, attachment("devB", townB, "attB2", "pB", hashOf(mine)))
	h.uploadBlob(h.tokB, mine)
	h.mustAccept(h.tokB, change("devB", townB, store.KindPerson, "pB", "pB", map[string]string{store.FieldTownship: townA}))
	if st := h.post(wire.PathBlobGet, h.tokA, wire.TypeBlobGet, wire.BlobGetRequest{Hash: hashOf(mine)}, wire.TypeBlobGetReply, &rep); st != 200 || !bytes.Equal(rep.Data, mine) {
		t.Fatalf("A after the transfer: HTTP %d", st)
	}
}

func TestHostileEnrollOverExistingDevice(t *testing.T) {
	h := newHostile(t)
	for _, town := range []string{townA, townB} {
		code, err := h.srv.NewEnrollCode(context.Background(), town, false, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := h.refusal(wire.PathEnroll, "", wire.TypeEnrollRequest, wire.EnrollRequest{Code: code, Township: town, Device: "devB"})
		if st == 200 {
			t.Fatalf("an enrollment in %s took over B's device id", town)
		}
	}
	var rep wire.PushReply
	edit := change("devB", townB, store.KindPerson, "pB", "pB", map[string]string{"phone": "13800000000"})
	if st := h.post(wire.PathPush, h.tokB, wire.TypePushRequest, wire.PushRequest{Changes: wire.EncodeChanges([]*store.Change{edit})},
		wire.TypePushReply, &rep); st != 200 || rep.Accepted != 1 {
		t.Fatalf("B's real device lost its enrollment: HTTP %d", st)
	}
	devs, err := h.srv.Devices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range devs {
		if d.ID == "devB" && d.Township != townB {
			t.Fatalf("B's device now belongs to %s", d.Township)
		}
	}
}

// volunteerSetup: A has pA (assigned to volunteer volA, whose device is
// tokV) and pA2 (not assigned), with a visit vA2 of pA2.
func volunteerSetup(t *testing.T) (*hostileSetup, string) {
	h := newHostile(t)
	h.mustAccept(h.tokA,
		change("devA", townA, store.KindPerson, "pA", "pA", map[string]string{"id_number": "520102199203041234", "birth_date": "1992-03-04"}),
		change("devA", townA, store.KindPerson, "pA2", "pA2", map[string]string{"name": "王五"}),
		change("devA", townA, store.KindVisit, "vA2", "pA2", map[string]string{"person": "pA2", "notes": "未分配"}),
		change("devA", townA, store.KindVolunteer, "volA", "", map[string]string{"name": "志愿者", "source": "other"}),
		change("devA", townA, store.KindAssignment, "asgA", "pA", map[string]string{"person": "pA", "member": "volA", "role": "volunteer"}),
		change("devA", townA, store.KindDrugTest, "tA", "pA", map[string]string{"person": "pA", "result": "positive", "date": "2026-01-02", "sample": "urine"}),
	)
	return h, h.enrollVolunteer("devV", townA, "volA")
}

func TestHostileVolunteerVisitForUnassignedPerson(t *testing.T) {
	h, tokV := volunteerSetup(t)
	h.mustRefuse(tokV, change("devV", townA, store.KindVisit, "vX", "pA", map[string]string{"person": "pA2", "notes": "冒充"}))
	h.mustRefuse(tokV, change("devV", townA, store.KindVisit, "vA2", "pA", map[string]string{"notes": "改写"}))
	h.mustRefuse(tokV, change("devV", townA, store.KindVisit, "vY", "pA2", map[string]string{"person": "pA2"}))
	recs := h.townshipState(townA)
	if recs["vX"] != nil || recs["vA2"].Fields["notes"] != "未分配" || recs["vY"] != nil {
		t.Fatal("a volunteer wrote into an unassigned person's file")
	}
	h.mustAccept(tokV, change("devV", townA, store.KindVisit, "vV", "pA", map[string]string{"person": "pA", "notes": "走访"}))
}

func TestHostileVolunteerGetsNoFullIDNumber(t *testing.T) {
	h, tokV := volunteerSetup(t)
	full := "520102199203041234"
	pulled := h.pull(tokV)
	if !entities(pulled)["pA"] {
		t.Fatal("the volunteer did not receive the assigned person")
	}
	for _, c := range pulled {
		for f, v := range c.Fields {
			if strings.Contains(v, full) || strings.Contains(v, "19920304") || f == "birth_date" {
				t.Fatalf("volunteer received %s.%s = %q", c.EntityID, f, v)
			}
			if fd, ok := store.SpecOf(c.Kind).Field(f); ok && fd.Sensitive {
				t.Fatalf("volunteer received sensitive %s.%s", c.Kind, f)
			}
		}
		if c.EntityID == "pA" && c.Fields["id_number"] != "" && c.Fields["id_number"] != valid.MaskID(full) {
			t.Fatalf("id number sent as %q", c.Fields["id_number"])
		}
	}
}

// Refusals must not tell an id of another township from one that does not
// exist: both get the same reason (or HTTP code).
func TestRefusalsDoNotTellWhetherAnIDExists(t *testing.T) {
	h, tokV := volunteerSetup(t)
	pairs := []struct {
		name          string
		tok           string
		exists, never *store.Change
	}{
		{"visit of a person", h.tokA,
			change("devA", townA, store.KindVisit, "v1", "pB", map[string]string{"person": "pB"}),
			change("devA", townA, store.KindVisit, "v2", "pNone", map[string]string{"person": "pNone"})},
		{"another township's record, of the kind named or not", h.tokA,
			change("devA", townA, store.KindVisit, "vB", "pA", map[string]string{"notes": "x"}),
			change("devA", townA, store.KindVisit, "pB", "pA", map[string]string{"notes": "x"})},
		{"volunteer visit", tokV,
			change("devV", townA, store.KindVisit, "v3", "pA2", map[string]string{"person": "pA2"}),
			change("devV", townA, store.KindVisit, "v4", "pNone", map[string]string{"person": "pNone"})},
	}
	for _, p := range pairs {
		if a, b := h.mustRefuse(p.tok, p.exists), h.mustRefuse(p.tok, p.never); a != b {
			t.Errorf("%s: %q for an existing id, %q for none", p.name, a, b)
		}
	}
}

// The office may let a device back in with a code issued for that device.
func TestReenrollWithACodeForThatDevice(t *testing.T) {
	h := newHostile(t)
	ctx := context.Background()
	code, err := h.srv.NewReenrollCode(ctx, "devB", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := h.refusal(wire.PathEnroll, "", wire.TypeEnrollRequest, wire.EnrollRequest{Code: code, Township: townB, Device: "devB2"}); st == 200 {
		t.Fatal("a re-enrollment code enrolled another device")
	}
	if code, err = h.srv.NewReenrollCode(ctx, "devB", time.Hour); err != nil {
		t.Fatal(err)
	}
	var rep wire.EnrollReply
	if st := h.post(wire.PathEnroll, "", wire.TypeEnrollRequest, wire.EnrollRequest{Code: code, Township: townB, Device: "devB"}, wire.TypeEnrollReply, &rep); st != 200 {
		t.Fatalf("re-enroll: HTTP %d", st)
	}
	if st, _ := h.refusal(wire.PathPull, h.tokB, wire.TypePullRequest, wire.PullRequest{}); st != http.StatusUnauthorized {
		t.Fatalf("old token after re-enrollment: HTTP %d", st)
	}
	if _, err := h.srv.NewReenrollCode(ctx, "no-such-device", time.Hour); err == nil {
		t.Fatal("re-enrollment code for an unknown device")
	}
}

// An assignment feeds a volunteer only when volunteer and person are of the
// same township now: naming another township's volunteer is refused (and
// would feed nobody), and a transfer ends the old township's assignments.
func TestAssignmentsStayInsideTheTownship(t *testing.T) {
	h, tokV := volunteerSetup(t)
	h.mustAccept(h.tokB, change("devB", townB, store.KindVolunteer, "volB", "", map[string]string{"name": "乙", "source": "other"}))
	tokVB := h.enrollVolunteer("devVB", townB, "volB")
	if reason := h.mustRefuse(h.tokA, change("devA", townA, store.KindAssignment, "asgX", "pA2", map[string]string{"person": "pA2", "member": "volB", "role": "volunteer"})); reason != ReasonBadLink {
		t.Fatalf("assignment to B's volunteer refused as %q", reason)
	}
	if got := entities(h.pull(tokVB)); got["pA2"] || got["vA2"] {
		t.Fatalf("B's volunteer received A's person: %v", got)
	}
	h.mustRefuse(tokVB, change("devVB", townB, store.KindVisit, "vVB", "pA2", map[string]string{"person": "pA2"}))

	h.pull(tokV)
	h.mustAccept(h.tokA, change("devA", townA, store.KindPerson, "pA", "pA", map[string]string{store.FieldTownship: townB}))
	h.mustAccept(h.tokB, change("devB", townB, store.KindPerson, "pA", "pA", map[string]string{"phone": "13900000000"}))
	var rep wire.PullReply
	h.post(wire.PathPull, tokV, wire.TypePullRequest, wire.PullRequest{Cursor: 0}, wire.TypePullReply, &rep)
	cs, err := rep.Changes.Changes()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Fields["phone"] == "13900000000" {
			t.Fatal("A's volunteer still receives the person after the transfer")
		}
	}
	h.mustRefuse(tokV, change("devV", townA, store.KindVisit, "vV2", "pA", map[string]string{"person": "pA"}))
}

// An upload still under way in B tells A nothing either.
func TestHostileBlobHaveDuringAnotherTownshipsUpload(t *testing.T) {
	h := newHostile(t)
	data := bytes.Repeat([]byte("B's file, half sent. "), 8000)
	hash := hashOf(data)
	h.mustAccept(h.tokB, attachment("devB", townB, "attB", "pB", hash))
	var put wire.BlobPutReply
	if st := h.post(wire.PathBlobPut, h.tokB, wire.TypeBlobPut, wire.BlobPutRequest{Hash: hash, Size: int64(len(data)), Data: data[:wire.BlobChunk]},
		wire.TypeBlobPutReply, &put); st != 200 || put.Next != wire.BlobChunk {
		t.Fatalf("B's first chunk: HTTP %d %+v", st, put)
	}
	h.mustAccept(h.tokA, attachment("devA", townA, "attA", "pA", hash))
	if want, off := h.blobWanted(h.tokA, hash); !want || off != 0 {
		t.Fatalf("blob/have tells A that B is sending the file: want %v from %d", want, off)
	}
	if _, off := h.blobWanted(h.tokB, hash); off != wire.BlobChunk {
		t.Fatalf("B's upload resumes at %d", off)
	}
	// A sends its own copy meanwhile; B then proves it holds the content.
	h.uploadBlob(h.tokA, data)
	h.uploadBlob(h.tokB, data)
	var rep wire.BlobGetReply
	if st := h.post(wire.PathBlobGet, h.tokB, wire.TypeBlobGet, wire.BlobGetRequest{Hash: hash}, wire.TypeBlobGetReply, &rep); st != 200 || !bytes.Equal(rep.Data, data[:wire.BlobChunk]) {
		t.Fatalf("B after sending: HTTP %d", st)
	}
}
