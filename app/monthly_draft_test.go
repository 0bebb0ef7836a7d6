package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The 月报 page offers the current month, marked as a draft, before the
// months that can be submitted (issue 17), and writes its workbook.
func TestMonthlyReportOffersThisMonthAsADraft(t *testing.T) {
	u := signedInUI(t, LangZH)
	r := u.shell.ledger.monthly
	now := u.st.Today()
	if r.months[0].Year != now.Year() || r.months[0].Month != now.Month() {
		t.Fatalf("first month offered: %v, want %d-%02d", r.months[0], now.Year(), int(now.Month()))
	}
	if got := r.month.Options[0]; !strings.Contains(got, "本月，草稿") {
		t.Errorf("the current month is not offered as a draft: %q", got)
	}
	path := filepath.Join(t.TempDir(), "draft.xlsx")
	r.run(r.months[0], path, false)
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		t.Fatalf("no draft workbook: %v %q", err, overlayText(u))
	}
}
