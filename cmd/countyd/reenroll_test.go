package main

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"rehabdesk/sync/client"
	"rehabdesk/sync/wire"
)

// A laptop whose id the server knows enrolls again only with a code issued
// for it (`countyd enroll-code --device ID`); a plain code is refused, so
// nobody can take an enrolled device over.
func TestReenrollNeedsACodeForTheDevice(t *testing.T) {
	if testing.Short() {
		t.Skip("builds countyd")
	}
	c := buildCountyd(t)
	c.run("township", "add", "--code", township)
	c.start()
	defer func() { c.proc.Process.Kill(); c.proc.Wait() }()
	st := newStore(t, filepath.Join(t.TempDir(), "a.db"))
	defer st.Close()
	c.enroll(st)
	plain := codeRE.FindStringSubmatch(c.run("enroll-code", "--township", township))[1]
	_, err := client.Enroll(context.Background(), st, "http://"+c.addr, plain, "", client.Options{})
	var we *wire.Error
	if !errors.As(err, &we) || we.Code != wire.CodeDeviceTaken {
		t.Fatalf("re-enrollment with a plain code: %v", err)
	}
	again := codeRE.FindStringSubmatch(c.run("enroll-code", "--device", st.Device()))
	if again == nil {
		t.Fatal("no re-enrollment code printed")
	}
	if _, err := client.Enroll(context.Background(), st, "http://"+c.addr, again[1], "", client.Options{}); err != nil {
		t.Fatalf("re-enrollment with the device's code: %v", err)
	}
	if n := strings.Count(c.run("devices"), st.Device()); n != 1 {
		t.Fatalf("the device is listed %d times", n)
	}
}
