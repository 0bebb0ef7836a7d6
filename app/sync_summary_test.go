package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
	"rehabdesk/sync/client"
	"rehabdesk/sync/wire"
)

// The sync screen's summary counted as sent only the changes the server
// newly stored, and showed "已发送 2501 条变更（其中 3500 条服务器已有）".
func TestSyncScreenSummaryCountsAddUp(t *testing.T) {
	u := signedInUI(t, LangZH)
	s := u.shell.sync
	s.done(client.Result{Pushed: 2501, Duplicates: 3500}, nil)
	if want := "已发送 6001 条变更（其中 3500 条服务器已有）"; !strings.Contains(s.result.Text, want) {
		t.Fatalf("summary %q, want %q", s.result.Text, want)
	}
}

// Attachments the county server held back for the day (its upload quota)
// are explained on the sync screen, in the officer's language.
func TestSyncScreenTellsOfTheUploadQuota(t *testing.T) {
	u := signedInUI(t, LangZH)
	s := u.shell.sync
	s.done(client.Result{Pushed: 3, BlobsSent: 1, BlobsPending: 1, BlobError: &wire.Error{Code: wire.CodeQuota}}, nil)
	if want := "本机今天已达上限"; !strings.Contains(s.result.Text, want) {
		t.Fatalf("summary %q, want it to say %q", s.result.Text, want)
	}
}

// An empty reply file read on the sync screen is named as such.
func TestSyncScreenNamesAnEmptyReplyFile(t *testing.T) {
	u := signedInUI(t, LangZH)
	empty := filepath.Join(t.TempDir(), "reply.rdsync")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	u.shell.sync.readReply(empty)
	if got := overlayText(u); !strings.Contains(got, "回复文件是空的") {
		t.Fatalf("dialogs %q", got)
	}
}

// A command-line import run while the app is open: the people list shows
// its persons at the next screen change, without signing in again.
func TestPeopleListCatchesUpWithAnotherProgram(t *testing.T) {
	u := signedInUI(t, LangZH)
	u.shell.show(navPeople)
	ctx := context.Background()
	other, err := store.Open(ctx, u.path, store.Options{})
	if err == nil {
		err = other.Unlock(ctx, testUser, testPassword)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Put(ctx, store.KindPerson, "", map[string]string{"name": "王五", "id_number": storetest.IDNumber("52010219900101123")}); err != nil {
		t.Fatal(err)
	}
	u.shell.show(navHome)
	u.shell.show(navPeople)
	if n := u.shell.people.rows.total; n != 1 {
		t.Fatalf("people list shows %d persons, want the one written by the other program", n)
	}
}
