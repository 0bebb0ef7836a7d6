package store

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// volunteerWorld is a township with two persons: mine is assigned to the
// volunteer account "vol1", other is not. It is signed in as vol1.
type volunteerWorld struct {
	s                 *Store
	path              string
	mine, other       string // person ids
	mineID, otherID   string // their ID numbers
	vol               string // volunteer record of vol1
	violation, test   string // records of mine a volunteer may not (fully) see
	otherVisit        string
	otherName, myName string
	extra             []string // more secrets (withSecrets)
}

func newVolunteerWorld(t *testing.T) *volunteerWorld {
	t.Helper()
	ctx := context.Background()
	w := &volunteerWorld{path: filepath.Join(t.TempDir(), "v.db"), myName: "张三丰", otherName: "李四光",
		mineID: idWithCheck("52010219900101123"), otherID: idWithCheck("52010219851231456")}
	w.s = newTestStoreAt(t, w.path, nil)
	s := w.s
	w.mine = mustPut(t, s, KindPerson, "", map[string]string{"name": w.myName, "id_number": w.mineID})
	w.other = mustPut(t, s, KindPerson, "", map[string]string{"name": w.otherName, "id_number": w.otherID})
	w.vol = mustPut(t, s, KindVolunteer, "", map[string]string{"name": "王芳", "source": "elder_party"})
	mustPut(t, s, KindAssignment, "", map[string]string{"person": w.mine, "role": "volunteer", "member": w.vol})
	w.violation = mustPut(t, s, KindViolation, "", map[string]string{"person": w.mine, "date": "2025-01-02", "kind": "departure"})
	w.test = mustPut(t, s, KindDrugTest, "", map[string]string{"person": w.mine, "date": "2025-01-03", "sample": "urine", "result": "positive"})
	w.otherVisit = mustPut(t, s, KindVisit, "", map[string]string{"person": w.other, "date": "2025-01-04", "visitor_kind": "staff", "mode": "home"})
	if err := s.AddAccount(ctx, "vol1", "volunteer-pass", "volunteer", w.vol, fastKDF); err != nil {
		t.Fatal(err)
	}
	s.Lock()
	if err := s.Unlock(ctx, "vol1", "volunteer-pass"); err != nil {
		t.Fatal(err)
	}
	return w
}

// secrets are strings no volunteer read may contain.
func (w *volunteerWorld) secrets() []string {
	return append([]string{w.other, w.otherName, w.otherID, w.mineID, w.violation, "positive", "departure"}, w.extra...)
}

// noLeak fails when the JSON form of v holds any secret.
func (w *volunteerWorld) noLeak(t *testing.T, what string, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	for _, sec := range w.secrets() {
		if strings.Contains(string(b), sec) {
			t.Errorf("%s leaks %q to a volunteer: %s", what, sec, b)
		}
	}
}

func TestVolunteerIsRefusedOfficerOnlyReadsAndWrites(t *testing.T) {
	ctx := context.Background()
	w := newVolunteerWorld(t)
	s := w.s
	forbidden := map[string]error{}
	_, forbidden["History"] = s.History(ctx, w.mine)
	_, forbidden["AuditLog"] = s.AuditLog(ctx, AuditFilter{})
	_, forbidden["RevealID"] = s.RevealID(ctx, w.mine)
	_, forbidden["Put violation"] = s.Put(ctx, KindViolation, "", map[string]string{"person": w.mine, "date": "2025-02-01", "kind": "departure"})
	_, forbidden["Put visit of other"] = s.Put(ctx, KindVisit, "", map[string]string{"person": w.other, "date": "2025-02-01", "visitor_kind": "volunteer", "mode": "home"})
	_, forbidden["Put person"] = s.Put(ctx, KindPerson, "", map[string]string{"name": "赵六", "id_number": idWithCheck("52010219700101777")})
	_, forbidden["Edit other's visit"] = s.Put(ctx, KindVisit, w.otherVisit, map[string]string{"notes": "x"})
	forbidden["Archive other"] = s.Archive(ctx, w.other)
	forbidden["AddAccount"] = s.AddAccount(ctx, "x2", "secret-pass", "officer", "", fastKDF)
	forbidden["DisableAccount"] = s.DisableAccount(ctx, "officer")
	forbidden["SetPassword"] = s.SetPassword(ctx, "officer", "new-secret-pass")
	forbidden["ApplyRemoteAudit"] = s.ApplyRemoteAudit(ctx, nil)
	forbidden["Backup"] = Backup(ctx, s, &strings.Builder{}, "backup-pass", nil)
	for what, err := range forbidden {
		if !errors.Is(err, ErrForbidden) && !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: got %v, want ErrForbidden", what, err)
		}
	}
	visit := map[string]string{"person": w.mine, "date": "2025-02-01", "visitor_kind": "volunteer", "mode": "home"}
	if _, err := s.Put(ctx, KindVisit, "", visit); err != nil {
		t.Fatalf("volunteer logs a visit of an assigned person: %v", err)
	}
}

// TestVolunteerOpensNoAttachment: scanned decisions and identity papers are
// for officers only (issue 18), even those of a person assigned to the
// volunteer: no list, no record, no content by hash.
func TestVolunteerOpensNoAttachment(t *testing.T) {
	ctx := context.Background()
	w := newVolunteerWorld(t)
	s := w.s
	s.Lock()
	if err := s.Unlock(ctx, "officer", "secret-pass"); err != nil {
		t.Fatal(err)
	}
	png := []byte("\x89PNG\r\n\x1a\nmine")
	id, err := s.AddAttachment(ctx, w.mine, "", map[string]string{"kind": "photo", "filename": "a.png"}, png)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.Attachments(ctx, w.mine); err != nil || len(got) != 1 {
		t.Fatalf("officer lists %d attachments (%v), want 1", len(got), err)
	}
	a := mustGet(t, s, id)
	s.Lock()
	if err := s.Unlock(ctx, "vol1", "volunteer-pass"); err != nil {
		t.Fatal(err)
	}
	if b, err := s.Blob(ctx, a.Get("sha256")); !errors.Is(err, ErrNotFound) {
		t.Fatalf("assigned person's attachment content for a volunteer: %q %v", b, err)
	}
	if _, err := s.Get(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("attachment record for a volunteer: %v", err)
	}
	if got, err := s.List(ctx, KindAttachment, ListFilter{PersonID: w.mine}); err != nil || len(got) != 0 {
		t.Fatalf("volunteer lists %d attachments (%v)", len(got), err)
	}
	if _, _, err := s.OpenAttachment(ctx, id); !errors.Is(err, ErrForbidden) {
		t.Fatalf("volunteer opens an attachment: %v", err)
	}
}

func TestVolunteerTestResultAndIDAreHidden(t *testing.T) {
	ctx := context.Background()
	w := newVolunteerWorld(t)
	r, err := w.s.Get(ctx, w.test)
	if err != nil || r.Fields["result"] != "" || r.Fields["date"] != "2025-01-03" {
		t.Fatalf("drug test for a volunteer: %v %v; want the date without the result", r, err)
	}
	p, err := w.s.Get(ctx, w.mine)
	if err != nil || p.Fields["id_number"] != "5201**********"+w.mineID[14:] || p.Fields["name"] != w.myName {
		t.Fatalf("person for a volunteer: %v %v", p.Fields, err)
	}
}

func TestDisabledAccountCannotSignInAndLosesItsKeySlot(t *testing.T) {
	ctx := context.Background()
	w := newVolunteerWorld(t)
	s := w.s
	s.Lock()
	if err := s.Unlock(ctx, "officer", "secret-pass"); err != nil {
		t.Fatal(err)
	}
	if err := s.DisableAccount(ctx, "officer"); !errors.Is(err, ErrForbidden) {
		t.Fatalf("officer disables self: %v", err)
	}
	if err := s.DisableAccount(ctx, "vol1"); err != nil {
		t.Fatal(err)
	}
	s.Lock()
	if err := s.Unlock(ctx, "vol1", "volunteer-pass"); !errors.Is(err, ErrBadPassword) {
		t.Fatalf("disabled account signs in: %v", err)
	}
	var slots int
	if err := s.db.QueryRow("SELECT count(*) FROM keyslots WHERE username = 'vol1'").Scan(&slots); err != nil {
		t.Fatal(err)
	}
	if slots != 0 {
		t.Fatal("a disabled account keeps its key slot: its password still unwraps the data key")
	}
	if _, err := s.Get(ctx, w.mine); !errors.Is(err, ErrLocked) {
		t.Fatalf("failed sign-in left the store readable: %v", err)
	}
}

func TestSignInWithoutAccountRecordIsRefused(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	key, err := s.currentDataKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A key slot whose account was archived must not sign in as officer.
	if err := insertKeySlot(ctx, s.db, key, "ghost", "ghost-pass", fastKDF); err != nil {
		t.Fatal(err)
	}
	s.Lock()
	if err := s.Unlock(ctx, "ghost", "ghost-pass"); !errors.Is(err, ErrBadPassword) {
		t.Fatalf("slot without account: %v", err)
	}
	if s.Session().Role != "" {
		t.Fatalf("session after refused sign-in: %+v", s.Session())
	}
}

func TestOfficerResetsPasswordAndAddsSlotForSyncedAccount(t *testing.T) {
	ctx := context.Background()
	w := newVolunteerWorld(t)
	s := w.s
	s.Lock()
	if err := s.Unlock(ctx, "officer", "secret-pass"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPassword(ctx, "vol1", "fresh-volunteer-pass"); err != nil {
		t.Fatal(err)
	}
	// The same user name again adds no second account record.
	if err := s.AddAccount(ctx, "vol1", "other-pass-123", "volunteer", w.vol, fastKDF); !errors.Is(err, ErrUserExists) {
		t.Fatalf("second slot: %v", err)
	}
	if as, err := s.Accounts(ctx); err != nil || len(as) != 2 || !as[1].KeySlot || as[1].Role != "volunteer" {
		t.Fatalf("accounts: %+v (error %v)", as, err)
	}
	s.Lock()
	if err := s.Unlock(ctx, "vol1", "fresh-volunteer-pass"); err != nil {
		t.Fatal(err)
	}
	if err := s.ChangePassword(ctx, "fresh-volunteer-pass", "own-volunteer-pass"); err != nil {
		t.Fatal(err)
	}
	s.Lock()
	if err := s.Unlock(ctx, "vol1", "own-volunteer-pass"); err != nil {
		t.Fatal(err)
	}
}
