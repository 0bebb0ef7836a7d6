package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// syncScreen (同步) shows what this device has not yet sent to the county.
// The sync client is not wired in yet, so the screen shows the store's own
// facts and says plainly that sending is not available.
type syncScreen struct {
	sh      *shell
	ui      *UI
	pending *widget.Label
	note    *widget.Label
}

func newSyncScreen(sh *shell) *syncScreen {
	return &syncScreen{sh: sh, ui: sh.ui,
		pending: &widget.Label{TextStyle: fyne.TextStyle{Bold: true}},
		note:    &widget.Label{Text: T("sync.unavailable"), Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}}
}

func (s *syncScreen) content() fyne.CanvasObject {
	device := &widget.Label{Text: T("sync.device", s.ui.st.Device())}
	now := &widget.Button{Text: T("sync.now"), Importance: widget.HighImportance}
	now.Disable()
	return container.NewVBox(&widget.Label{Text: T("nav.sync"), TextStyle: fyne.TextStyle{Bold: true}},
		s.pending, device, now, s.note)
}

// refresh counts this device's changes; nothing has been sent while no
// sync client exists, so every local change is pending.
func (s *syncScreen) refresh() {
	n, err := s.ui.st.CountLocalChanges(s.ui.ctx, 0)
	if err != nil {
		s.ui.showError(err)
		return
	}
	s.pending.SetText(T("sync.pending", n))
}
