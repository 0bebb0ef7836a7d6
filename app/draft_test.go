package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"rehabdesk/internal/storetest"
)

// A crash or power cut loses at most the field being typed: what was typed
// into an unsaved form comes back the next time the same form is opened,
// and is gone once the record is saved.
func TestTypedButUnsavedFormComesBackAfterACrash(t *testing.T) {
	u := signedInUI(t, LangZH)
	u.shell.people.onAdd()
	f := lastForm(t, u)
	typeInto(t, f, "name", "张三")
	typeInto(t, f, "id_number", storetest.IDNumber("52010219900101123"))

	// The app dies here: nothing is saved or closed. A new start of the
	// app on the same database file opens the same form.
	again := newTestUI(t, u.st.Path(), LangZH)
	signInWith(t, again, testUser, testPassword)
	again.shell.people.onAdd()
	g := lastForm(t, again)
	if g.in["name"].value() != "张三" || g.in["id_number"].value() != storetest.IDNumber("52010219900101123") {
		t.Fatalf("typed values not restored: name %q id %q", g.in["name"].value(), g.in["id_number"].value())
	}
	if !g.dirty || !strings.Contains(g.restored, "2") {
		t.Fatalf("restored form should count as unsaved and say when it was typed (dirty=%v, %q)", g.dirty, g.restored)
	}
	test.Tap(g.saveButton)
	if again.shell.people.rows.total != 1 {
		t.Fatalf("restored draft was not saved (%d persons)", again.shell.people.rows.total)
	}
	again.shell.people.onAdd()
	if h := lastForm(t, again); h.in["name"].value() != "" || h.restored != "" {
		t.Fatalf("a saved draft came back: %q", h.in["name"].value())
	}
}
