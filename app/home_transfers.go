package app

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/assets"
)

// Recent transfers out are named on the home screen, because the person
// leaves every list the moment the transfer syncs: the officer sees where
// they went instead of wondering why they vanished.
const (
	movedShown = 3                   // at most this many names
	movedFor   = 90 * 24 * time.Hour // for this long after the transfer
)

func newMovedNote() *widget.Label {
	l := &widget.Label{Wrapping: fyne.TextWrapWord}
	l.Hide()
	return l
}

// refreshMoved names the persons transferred away lately, newest first. A
// failed read shows nothing: the note is a courtesy, the lists are right.
func (h *homeScreen) refreshMoved() {
	ts, err := h.ui.st.Transfers(h.ui.ctx)
	var items []string
	for _, t := range ts {
		if len(items) == movedShown || time.Since(t.At) > movedFor {
			break
		}
		to := t.To
		if d, ok := assets.Township(t.To); ok {
			to = d.Name
		}
		items = append(items, T("transferred.item", t.Name, to, formatTime(t.At.In(chinaTime))))
	}
	if err != nil || len(items) == 0 {
		h.moved.Hide()
		return
	}
	h.moved.SetText(T("transferred.recent", strings.Join(items, T("transferred.separator"))))
	h.moved.Show()
}
