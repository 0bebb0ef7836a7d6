package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// The sign-in and first-run screens are what every officer sees first;
// their layout is pinned by golden markup (testdata/*.xml).

func TestSignInLayout(t *testing.T) {
	u := newTestUI(t, newDB(t), LangZH)
	u.win.Resize(fyne.NewSize(1000, 640))
	test.AssertRendersToMarkup(t, "signin_zh.xml", u.win.Canvas())
}

func TestSignInLayoutEnglish(t *testing.T) {
	u := newTestUI(t, newDB(t), LangEN)
	u.win.Resize(fyne.NewSize(1000, 640))
	test.AssertRendersToMarkup(t, "signin_en.xml", u.win.Canvas())
}
