package store

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"rehabdesk/store/search"
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
	return []string{w.other, w.otherName, w.otherID, w.mineID, w.violation, "positive", "departure"}
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

func TestVolunteerSeesOnlyAssignedPersonsThroughEveryReadMethod(t *testing.T) {
	ctx := context.Background()
	w := newVolunteerWorld(t)
	s := w.s
	for _, id := range []string{w.other, w.violation, w.otherVisit} {
		if _, err := s.Get(ctx, id); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get(%s): got %v, want ErrNotFound", id, err)
		}
		if _, err := s.RecordHistory(ctx, id); !errors.Is(err, ErrNotFound) {
			t.Errorf("RecordHistory(%s): got %v, want ErrNotFound", id, err)
		}
	}
	if _, err := s.ViewPerson(ctx, w.other); !errors.Is(err, ErrNotFound) {
		t.Errorf("ViewPerson(other): got %v", err)
	}
	if err := Load(ctx, s, w.other, &Person{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("Load(other): got %v", err)
	}
	reads := map[string]func() (any, error){
		"Get(mine)":          func() (any, error) { return s.Get(ctx, w.mine) },
		"Get(test)":          func() (any, error) { return s.Get(ctx, w.test) },
		"ViewPerson(mine)":   func() (any, error) { return s.ViewPerson(ctx, w.mine) },
		"RecordHistory":      func() (any, error) { return s.RecordHistory(ctx, w.mine) },
		"RecordHistory test": func() (any, error) { return s.RecordHistory(ctx, w.test) },
		"AllChanges":         func() (any, error) { return s.AllChanges(ctx, 0, 1000) },
		"Accounts":           func() (any, error) { return s.Accounts(ctx) },
		"Search":             func() (any, error) { return s.Search(searchAll()), nil },
		"Search other name":  func() (any, error) { return s.Search(search.Query{Text: w.otherName}), nil },
		"SearchEntry":        func() (any, error) { e, _ := s.SearchEntry(w.mine); return e, nil },
		"SearchEntry other":  func() (any, error) { e, _ := s.SearchEntry(w.other); return e, nil },
		"Tx.Get other": func() (any, error) {
			var r *Record
			err := s.Update(ctx, func(tx *Tx) error { r, _ = tx.Get(w.other); return nil })
			return r, err
		},
		"Tx.PersonByIDNumber": func() (any, error) {
			var id string
			err := s.Update(ctx, func(tx *Tx) error { id, _ = tx.PersonByIDNumber(w.otherID); return nil })
			return id, err
		},
	}
	// Bulk reads come from another file of the store; test them when present.
	if b, ok := any(s).(interface {
		LoadAll(context.Context, ...Kind) (map[Kind][]*Record, error)
		Snapshot(context.Context, time.Time, ...Kind) (map[Kind][]*Record, error)
	}); ok {
		reads["LoadAll"] = func() (any, error) { return b.LoadAll(ctx) }
		reads["Snapshot"] = func() (any, error) { return b.Snapshot(ctx, time.Now().Add(time.Hour)) }
	}
	for _, k := range Kinds() {
		reads["List "+string(k)] = func() (any, error) { return s.List(ctx, k, ListFilter{IncludeArchived: true}) }
		reads["List other's "+string(k)] = func() (any, error) {
			return s.List(ctx, k, ListFilter{PersonID: w.other, IncludeArchived: true})
		}
	}
	for what, read := range reads {
		v, err := read()
		if err != nil {
			t.Errorf("%s: %v", what, err)
			continue
		}
		w.noLeak(t, what, v)
	}
	// The push queue stays complete whoever is signed in, or the push
	// cursor would skip changes for good.
	if cs, err := s.LocalChanges(ctx, 0, 1000); err != nil || len(cs) < 8 {
		t.Errorf("LocalChanges for a volunteer: %d changes, %v; want the whole push queue", len(cs), err)
	}
	if res := s.Search(searchAll()); res.Total != 1 || res.Entries[0].ID != w.mine {
		t.Errorf("volunteer search: %+v, want only the assigned person", res)
	}
	if res := s.Search(search.Query{Text: w.otherID[6:14]}); res.Total != 0 {
		t.Errorf("ID-fragment search finds %d persons", res.Total)
	}
	if res := s.Search(search.Query{Text: w.mineID[6:14]}); res.Total != 0 {
		t.Errorf("a volunteer can probe the hidden digits of an assigned person's ID number")
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

func TestVolunteerOpensOnlyAttachmentsOfAssignedPersons(t *testing.T) {
	ctx := context.Background()
	w := newVolunteerWorld(t)
	s := w.s
	s.Lock()
	if err := s.Unlock(ctx, "officer", "secret-pass"); err != nil {
		t.Fatal(err)
	}
	attach := func(person, content string) string {
		h, err := s.PutBlob(ctx, []byte(content))
		if err != nil {
			t.Fatal(err)
		}
		mustPut(t, s, KindAttachment, "", map[string]string{"person": person, "kind": "photo", "filename": "a.jpg", "sha256": h})
		return h
	}
	mine, other := attach(w.mine, "mine"), attach(w.other, "other")
	s.Lock()
	if err := s.Unlock(ctx, "vol1", "volunteer-pass"); err != nil {
		t.Fatal(err)
	}
	if b, err := s.Blob(ctx, mine); err != nil || string(b) != "mine" {
		t.Fatalf("assigned person's attachment: %q %v", b, err)
	}
	if _, err := s.Blob(ctx, other); !errors.Is(err, ErrNotFound) {
		t.Fatalf("other person's attachment by hash: %v", err)
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
	s.DB().QueryRow("SELECT count(*) FROM keyslots WHERE username = 'vol1'").Scan(&slots)
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
	key, _ := s.currentDataKey(ctx)
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
	if as, _ := s.Accounts(ctx); len(as) != 2 || !as[1].KeySlot || as[1].Role != "volunteer" {
		t.Fatalf("accounts: %+v", as)
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

// readMethods classifies every exported method of *Store for this file's
// volunteer tests. A new method must be added here after checking that it
// applies the volunteer scope (mayRead/redact, inScope or ScopeChanges), or
// that it returns no person data.
var readMethods = map[string]string{
	"Get": "scoped", "List": "scoped", "LoadAll": "scoped", "Snapshot": "scoped", "Search": "scoped",
	"SearchEntry": "scoped", "History": "officer", "RecordHistory": "scoped", "LocalChanges": "push queue: complete, never shown",
	"AllChanges": "scoped", "ScopeChanges": "scoped", "ViewPerson": "scoped", "RevealID": "officer",
	"AuditLog": "officer", "AuditSince": "ids only", "Accounts": "scoped", "Conflicts": "scoped by its author (merge)",
	"DuplicatePairs":    "scoped (describePair checks mayRead)",
	"CountLocalChanges": "count", "SyncState": "no person data", "SyncSecret": "no person data",
	"Session": "no data", "Path": "no data", "Device": "no data", "Township": "no data", "Clock": "no data",
	"Today": "no data", "DB": "raw handle for the sync engine's own tables",
	"Transfers": "tombstones, scoped (inScope)", "PurgeTransferred": "w",
	// writes and session control
	"Unlock": "w", "Lock": "w", "Close": "w", "Update": "w", "Put": "w", "Archive": "w", "AddAccount": "w",
	"ChangePassword": "w", "SetPassword": "w", "DisableAccount": "w", "Audit": "w", "ApplyRemoteAudit": "w",
	"ReloadIndex": "w", "SetSyncState": "w", "SetSyncSecret": "w", "ApplyRemote": "w", "ResolveConflict": "w",
	"NormalizeField": "w", "MergePersons": "w", "AutoMergeDuplicates": "w", "TransferPerson": "w",
	"EachRecord": "scoped (handBatch checks mayRead, redacts)", "Draft": "the signed-in user's own drafts only", "SaveDraft": "w", "DropDraft": "w", "Blob": "scoped (mayReadBlob)",
	"BlobHashes": "hashes only, for the sync engine", "BlobProgress": "count", "PutBlob": "w", "AddBlobChunk": "w",
	"Stage":      "w (creates only, under mayWrite; links only to its own records)",
	"ChangeMark": "no data (the last change number)", "KeyedPersons": "count",
	"HoldIndex": "no data (defers index updates, whose entries are built with the session's scope)",
	"BeginBulk": "no data (its Update is Store.Update, role and write checks included)",
	"Roster":    "scoped (List)", "AddStaff": "w", "AssignVillage": "w (Update; persons read under mayRead)",
}

func TestEveryExportedStoreMethodIsClassifiedForVolunteerScope(t *testing.T) {
	typ := reflect.TypeOf(&Store{})
	for i := 0; i < typ.NumMethod(); i++ {
		if name := typ.Method(i).Name; readMethods[name] == "" {
			t.Errorf("Store.%s is not classified: check that a volunteer session only gets assigned persons from it, then add it to readMethods", name)
		}
	}
}
