package app

import (
	"bytes"
	"errors"
	"log"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
)

// The file dialog's favourite-folder errors do not reach the terminal; any
// other Fyne error (a failed focus call among them), and our own log lines,
// do, with their cause.
func TestQuietFyneLogDropsOnlyTheHarmlessErrors(t *testing.T) {
	var out bytes.Buffer
	old, oldFlags := log.Writer(), log.Flags()
	log.SetOutput(QuietFyneLog(&out))
	defer func() { log.SetOutput(old); log.SetFlags(oldFlags) }()

	fyne.LogError("Getting favorite locations", errors.New("this computer does not define a VIDEOS folder"))
	fyne.LogError("Failed to focus object which is not part of the canvas’ content, menu or overlays.", nil)
	fyne.LogError("keep form draft", errors.New("disk full"))
	log.Println("sync finished")

	got := out.String()
	for _, gone := range []string{"favorite", "VIDEOS"} {
		if strings.Contains(got, gone) {
			t.Errorf("%q reached the terminal:\n%s", gone, got)
		}
	}
	for _, kept := range []string{"Fyne error:  Failed to focus", "Fyne error:  keep form draft", "Cause: disk full", "sync finished"} {
		if !strings.Contains(got, kept) {
			t.Errorf("%q is missing:\n%s", kept, got)
		}
	}
	if n := strings.Count(got, "  At: "); n != 2 {
		t.Errorf("%d At lines, want those of the two kept errors:\n%s", n, got)
	}
}
