package app

import (
	"context"
	"crypto/tls"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rehabdesk/internal/storetest"
	"rehabdesk/store"
	"rehabdesk/sync/client"
	"rehabdesk/sync/server"
	"rehabdesk/sync/wire"
)

// newCountyServer runs a county server for the test township on loopback.
func newCountyServer(t *testing.T) (*server.Server, string) {
	t.Helper()
	ctx := context.Background()
	srv, err := server.Open(ctx, filepath.Join(t.TempDir(), "county.db"), server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	if err := srv.AddTownship(ctx, testTownship); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return srv, hs.URL
}

func enrollCode(t *testing.T, srv *server.Server) string {
	t.Helper()
	code, err := srv.NewEnrollCode(context.Background(), testTownship, false, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func TestEnrollAndSyncNowThroughTheScreens(t *testing.T) {
	srv, url := newCountyServer(t)
	u := signedInUI(t, LangZH)
	addPerson(t, u, "张三", storetest.IDNumber("52010219900101123"), nil)

	e := newEnrollForm(u.shell)
	e.server.SetText(url)
	e.code.SetText(enrollCode(t, srv))
	e.onEnroll()
	if !strings.Contains(e.status.Text, "已在") {
		t.Fatalf("enrolment: %q, dialogs %q", e.status.Text, overlayText(u))
	}
	s := u.shell.sync
	u.shell.show(navSync)
	if s.now.Disabled() || !strings.Contains(s.server.Text, url) {
		t.Fatalf("sync screen after enrolment: %q", s.server.Text)
	}
	s.onSync()
	if !strings.Contains(s.result.Text, "已发送") || !strings.Contains(s.status.Text, "待发送变更 0 条") {
		t.Fatalf("after sync: %q / %q, dialogs %q", s.result.Text, s.status.Text, overlayText(u))
	}

	// A second laptop of the township receives the person.
	b, err := store.Create(context.Background(), filepath.Join(t.TempDir(), "b.db"), testTownship, "other", testPassword, store.Options{KDF: storetest.FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, err := client.Enroll(context.Background(), b, url, enrollCode(t, srv), "", client.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Sync(context.Background(), b, nil, client.Options{}); err != nil {
		t.Fatal(err)
	}
	if b.Search(searchAll()).Total != 1 {
		t.Fatal("the other device did not receive the person")
	}
}

// The sync screen says why the county refused changes, in the officer's
// language, once per reason with how many (the CLI lists each change).
func TestSyncScreenSaysWhyChangesWereRefused(t *testing.T) {
	u := signedInUI(t, LangZH)
	s := u.shell.sync
	s.done(client.Result{Pushed: 1, Rejected: []wire.Rejection{{Reason: "bad_value"}, {Reason: "bad_link"}, {Reason: "bad_value"}}}, nil)
	for _, want := range []string{"拒收了 3 条", "仍保存在本机", "值无效（不是允许的选项", "（2 条）", "关联的记录无效", "（1 条）"} {
		if !strings.Contains(s.result.Text, want) {
			t.Errorf("sync result %q lacks %q", s.result.Text, want)
		}
	}
}

func TestSyncErrorIsAPlainSentence(t *testing.T) {
	srv, url := newCountyServer(t)
	u := signedInUI(t, LangZH)
	e := newEnrollForm(u.shell)
	e.server.SetText(url)
	e.code.SetText("WRONG-CODE")
	e.onEnroll()
	got := overlayText(u)
	if !strings.Contains(got, "注册码") || strings.Contains(got, "http") {
		t.Fatalf("enrolment error should be a Chinese sentence: %q", got)
	}
	_ = srv
}

// Over https without a fingerprint the officer is shown the certificate's
// fingerprint and enrolment waits for their word that it matches.
func TestEnrollOverHTTPSAsksToConfirmTheFingerprint(t *testing.T) {
	srv, _ := newCountyServer(t)
	dir := t.TempDir()
	cert, fp, err := server.LoadOrCreateCert(filepath.Join(dir, "c.pem"), filepath.Join(dir, "k.pem"))
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(srv.Handler())
	hs.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	hs.StartTLS()
	t.Cleanup(hs.Close)
	u := signedInUI(t, LangZH)
	e := newEnrollForm(u.shell)
	e.server.SetText(hs.URL)
	e.code.SetText(enrollCode(t, srv))
	e.onEnroll()
	if got := overlayText(u); !strings.Contains(got, fp) || strings.Contains(e.status.Text, "已在") {
		t.Fatalf("fingerprint not shown for confirmation: %q / %q", got, e.status.Text)
	}
	if in, err := client.Status(context.Background(), u.st); err != nil || in.Enrolled {
		t.Fatal("enrolled before the officer confirmed", err)
	}
	tapDialogButton(t, u, "一致，注册")
	if !strings.Contains(e.status.Text, "已在") || !strings.Contains(e.status.Text, fp) {
		t.Fatalf("after confirming: %q, dialogs %q", e.status.Text, overlayText(u))
	}
}
