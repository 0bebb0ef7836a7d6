package app

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"rehabdesk/store"
	"rehabdesk/sync/client"
)

// Another device's clock ran ahead and the sync screen warns about it; once
// the officer has had that clock corrected, 时钟已校正，清除提醒 makes the
// warning go, the button with it, and the audit log says whose it was.
func TestOfficerClearsAnotherDevicesClockWarning(t *testing.T) {
	srv, url := newCountyServer(t)
	u := signedInUI(t, LangZH)
	if _, err := client.Enroll(u.ctx, u.st, url, enrollCode(t, srv), "", client.Options{}); err != nil {
		t.Fatal(err)
	}
	// What a sync that refused the device's changes records (client.noteSkewed).
	warned, _ := json.Marshal([]client.SkewedDevice{{Device: "dev-fast", Ahead: 72 * time.Hour, Refused: 3}})
	if err := u.st.SetSyncState(u.ctx, map[string]string{"skewed_devices": string(warned)}); err != nil {
		t.Fatal(err)
	}
	s := u.shell.sync
	u.shell.show(navSync)
	if !strings.Contains(s.status.Text, "设备 dev-fast 的时钟快了") || !s.clearClock.Visible() {
		t.Fatalf("warning %q, clear button shown %v", s.status.Text, s.clearClock.Visible())
	}
	test.Tap(s.clearClock)
	if strings.Contains(s.status.Text, "dev-fast") || s.clearClock.Visible() {
		t.Fatalf("after clearing: %q, clear button shown %v, dialogs %q", s.status.Text, s.clearClock.Visible(), overlayText(u))
	}
	log, err := u.st.AuditLog(u.ctx, store.AuditFilter{Action: store.ActionSync})
	if err != nil {
		t.Fatal(err)
	}
	want := store.AuditDetail(store.AuditClockWarning, "dev-fast")
	if !slices.ContainsFunc(log, func(e store.AuditEntry) bool { return e.Detail == want }) {
		t.Errorf("no audit entry %s", want)
	}
	u.shell.show(navHome)
	u.shell.show(navSync)
	if strings.Contains(s.status.Text, "dev-fast") {
		t.Errorf("the warning came back: %q", s.status.Text)
	}
}
