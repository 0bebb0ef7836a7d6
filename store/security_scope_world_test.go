package store

import (
	"context"
	"path/filepath"
	"testing"
)

// signIn ends the world's session and signs in as user.
func (w *volunteerWorld) signIn(t testing.TB, user, password string) {
	t.Helper()
	w.s.Lock()
	if err := w.s.Unlock(context.Background(), user, password); err != nil {
		t.Fatalf("sign in as %s: %v", user, err)
	}
}

// crowded is what addConflictsAndDuplicates put in a volunteerWorld.
type crowded struct {
	otherTwin, mineTwin string // second registrations of other and mine (same ID numbers)
	gone, goneName      string // an unassigned person transferred to another township
	otherBlob           string // hash of an attachment of other
	conflicts           int    // open conflicts an officer sees
	otherConflict       string // id of the conflict on other's name
	staff               string // a staff member (专干)
}

// addConflictsAndDuplicates gives w, through a second device of its township
// that edited the same fields offline, three open conflicts: on mine's name
// (a volunteer may see it), on the result of mine's drug test (a field hidden
// from volunteers) and on other's name (not assigned). The second device also
// registered other and mine again (two duplicate pairs, neither wholly
// assigned). An officer attaches a document to other and transfers an
// unassigned person away. It checks that an officer sees all of it and
// leaves w signed in as vol1.
func (w *volunteerWorld) addConflictsAndDuplicates(t *testing.T) crowded {
	t.Helper()
	ctx := context.Background()
	w.signIn(t, "officer", "secret-pass")
	s := w.s
	b := newTestStoreAt(t, filepath.Join(t.TempDir(), "b.db"), nil)
	var c crowded
	c.otherTwin = mustPut(t, b, KindPerson, "", map[string]string{"name": w.otherName, "id_number": w.otherID})
	c.mineTwin = mustPut(t, b, KindPerson, "", map[string]string{"name": w.myName, "id_number": w.mineID})
	pull(t, b, s)
	mustPut(t, s, KindPerson, w.mine, map[string]string{"name": "张三峰"})
	mustPut(t, b, KindPerson, w.mine, map[string]string{"name": "张君宝"})
	mustPut(t, s, KindDrugTest, w.test, map[string]string{"result": "negative"})
	mustPut(t, b, KindDrugTest, w.test, map[string]string{"result": "invalid"})
	mustPut(t, s, KindPerson, w.other, map[string]string{"name": "李四明"})
	mustPut(t, b, KindPerson, w.other, map[string]string{"name": "李四白"})
	pull(t, s, b)
	cs := conflicts(t, s)
	for _, x := range cs {
		if x.RecordID == w.other {
			c.otherConflict = x.ID
		}
	}
	if c.conflicts = len(cs); c.conflicts != 3 || c.otherConflict == "" {
		t.Fatalf("an officer sees conflicts %+v, want three, one on other's name", cs)
	}
	if pairs, err := s.DuplicatePairs(ctx); err != nil || len(pairs) != 2 {
		t.Fatalf("an officer sees duplicate pairs %+v (%v), want two", pairs, err)
	}
	c.otherBlob = w.attach(t, w.other, "other's identity card")
	c.goneName = "赵六奇"
	c.gone = mustPut(t, s, KindPerson, "", map[string]string{"name": c.goneName, "id_number": idWithCheck("52010219700101777")})
	if err := s.TransferPerson(ctx, c.gone, "520102017"); err != nil {
		t.Fatalf("transfer an unassigned person away: %v", err)
	}
	if ts, err := s.Transfers(ctx); err != nil || len(ts) != 1 {
		t.Fatalf("an officer sees transfers %+v (%v), want one", ts, err)
	}
	var err error
	if c.staff, err = s.AddStaff(ctx, map[string]string{"name": "钱七", "role": "officer"}); err != nil {
		t.Fatalf("add a staff member: %v", err)
	}
	w.signIn(t, "vol1", "volunteer-pass")
	return c
}

// attach stores content as an attachment of person and returns its hash.
func (w *volunteerWorld) attach(t testing.TB, person, content string) string {
	t.Helper()
	h, err := w.s.PutBlob(context.Background(), []byte(content))
	if err != nil {
		t.Fatal(err)
	}
	mustPut(t, w.s, KindAttachment, "", map[string]string{"person": person, "kind": "photo", "filename": "a.jpg", "sha256": h})
	return h
}
