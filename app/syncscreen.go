package app

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/assets"
	"rehabdesk/store"
	"rehabdesk/sync/client"
	"rehabdesk/sync/wire"
)

// syncScreen (同步): where this device stands with the county server, a
// sync-now button with progress and cancel, the conflict inbox and the
// duplicate persons to merge.
type syncScreen struct {
	sh          *shell
	ui          *UI
	server      *widget.Label
	status      *widget.Label
	clearClock  *widget.Button // shown to officers while another device's clock warning stands
	result      *widget.Label
	progress    *widget.ProgressBarInfinite
	now         *widget.Button
	cancel      *widget.Button
	stop        context.CancelFunc
	inbox       *conflictInbox
	dups        *duplicateList
	enrolled    bool
	fileButtons []*widget.Button
	quiet       bool // the running sync was started by the timer
}

func newSyncScreen(sh *shell) *syncScreen {
	s := &syncScreen{sh: sh, ui: sh.ui,
		server:   &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord},
		status:   &widget.Label{Wrapping: fyne.TextWrapWord},
		result:   &widget.Label{Wrapping: fyne.TextWrapWord},
		progress: widget.NewProgressBarInfinite(),
	}
	s.progress.Stop()
	s.progress.Hide()
	s.now = &widget.Button{Text: T("syncscreen.now"), Icon: theme.ViewRefreshIcon(), Importance: widget.HighImportance, OnTapped: s.onSync}
	s.cancel = &widget.Button{Text: T("transfer.cancel"), Icon: theme.CancelIcon(), OnTapped: func() {
		if s.stop != nil {
			s.stop()
		}
	}}
	s.cancel.Hide()
	s.clearClock = &widget.Button{Text: T("syncscreen.clear_clock"), Icon: theme.ConfirmIcon(), OnTapped: s.onClearClock}
	s.clearClock.Hide()
	s.inbox = newConflictInbox(sh.ui)
	s.dups = newDuplicateList(sh)
	return s
}

func (s *syncScreen) content() fyne.CanvasObject {
	top := container.NewVBox(s.server, s.status, container.NewHBox(s.clearClock), container.NewHBox(s.now, s.cancel, s.exchangeButtons()), s.progress, s.result)
	tabs := container.NewAppTabs(
		container.NewTabItem(T("syncscreen.conflicts"), s.inbox.content()),
		container.NewTabItem(T("syncscreen.duplicates"), s.dups.content()))
	return container.NewBorder(top, nil, nil, nil, tabs)
}

// refresh reads the sync state from the database; no network.
func (s *syncScreen) refresh() {
	in, err := client.Status(s.ui.ctx, s.ui.st)
	if err != nil {
		s.ui.showError(err)
		return
	}
	s.showStatus(in)
	s.inbox.refresh()
	s.dups.refresh()
}

func (s *syncScreen) showStatus(in client.Info) {
	s.enrolled = in.Enrolled
	if !in.Enrolled {
		s.server.SetText(T("sync.status.not_enrolled") + " " + T("syncscreen.enroll_hint"))
		s.status.SetText(T("syncscreen.pending", in.Pending))
		s.now.Disable()
		for _, b := range s.fileButtons {
			b.Disable()
		}
		return
	}
	town := s.ui.st.Township()
	if d, ok := assets.Township(town); ok {
		town = d.Name
	}
	s.server.SetText(T("sync.status.server", in.Server, town))
	last := T("syncscreen.never")
	if !in.LastSuccess.IsZero() {
		last = formatDateTime(in.LastSuccess.In(chinaTime))
	}
	text := T("sync.status.last", last, in.Pending, in.Rejected)
	if in.LastError != "" {
		text += "\n" + T("syncscreen.last_failed")
	}
	for _, d := range in.SkewedDevices {
		text += "\n" + T("sync.skewed_device", d.Device, d.AheadText(), d.Refused)
	}
	if len(in.SkewedDevices) > 0 && s.ui.st.Session().Role == "officer" {
		s.clearClock.Show()
	} else {
		s.clearClock.Hide()
	}
	if !in.ServerRestored.IsZero() {
		text += "\n" + T("sync.status.restored", formatDateTime(in.ServerRestored.In(chinaTime)))
	}
	s.status.SetText(text)
	if s.stop == nil {
		s.now.Enable()
	}
	for _, b := range s.fileButtons {
		b.Enable()
	}
}

// onClearClock forgets the warnings about other devices' clocks, once the
// officer has had them corrected (audited by the client).
func (s *syncScreen) onClearClock() {
	if _, err := client.ClearSkewedDevices(s.ui.ctx, s.ui.st); err != nil {
		s.ui.showError(err)
	}
	s.refresh()
}

// onSync runs one sync in the background; cancel keeps what was already
// acknowledged or merged, so the database stays consistent.
func (s *syncScreen) onSync() {
	s.quiet = false
	s.run()
}

// run starts one sync unless one is running.
func (s *syncScreen) run() {
	if s.stop != nil {
		return
	}
	ctx, stop := context.WithCancel(s.ui.ctx)
	s.stop = stop
	s.busy(true)
	progress := func(p client.Progress) {
		fyne.Do(func() {
			if !s.quiet { // the timer's syncs must not keep the app unlocked
				s.ui.idle.Touch()
			}
			s.result.SetText(T("syncscreen.phase."+string(p.Phase), p.Done, p.Total))
		})
	}
	s.ui.opt.Background(func() {
		res, err := client.Sync(ctx, s.ui.st, progress, client.Options{})
		stop()
		fyne.Do(func() { s.done(res, err) })
	})
}

func (s *syncScreen) busy(on bool) {
	if on {
		s.now.Disable()
		s.cancel.Show()
		s.progress.Show()
		s.progress.Start()
		return
	}
	s.stop = nil
	s.now.Enable()
	s.cancel.Hide()
	s.progress.Stop()
	s.progress.Hide()
}

func (s *syncScreen) done(res client.Result, err error) {
	s.busy(false)
	s.ui.st.Audit(s.ui.ctx, store.ActionSync, "", "")
	text := T("sync.pushed", res.ChangesSent(), res.Duplicates) + "\n" + T("sync.pulled", res.Pulled, res.Applied, res.Conflicts)
	if len(res.Rejected) > 0 {
		text += "\n" + T("syncscreen.rejected", len(res.Rejected)) + rejectionReasons(res.Rejected)
	}
	if res.Refused > 0 {
		text += "\n" + T("sync.lockout_refused", res.Refused)
	}
	if err := res.QuotaReached(); err != nil {
		text += "\n" + errText(err)
	}
	if res.ClockWarning() {
		text += "\n" + T("sync.clock_warning", res.ClockSkew.Round(time.Minute).String())
	}
	if res.ServerRestored {
		text += "\n" + T("sync.server_restored")
	}
	s.result.SetText(text)
	if err != nil {
		s.result.SetText("")
		if s.quiet {
			s.result.SetText(errText(err)) // no dialog for a timer's failure
		} else {
			s.ui.showError(err)
		}
	}
	s.refresh()
	if res.Applied > 0 {
		s.sh.reloadAlerts()
		s.sh.people.apply()
	}
}

// startAuto syncs every interval while the officer is signed in and the
// database is enrolled: whenever the village has signal, changes go out
// without anyone pressing a button. A failure only shows on this page.
// The returned function stops it (on lock or sign-out).
func (s *syncScreen) startAuto(every time.Duration) func() {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				fyne.Do(s.autoTick)
			}
		}
	}()
	return func() { close(done) }
}

func (s *syncScreen) autoTick() {
	if s.ui.shell == nil || s.ui.shell.sync != s || s.stop != nil {
		return
	}
	in, err := client.Status(s.ui.ctx, s.ui.st)
	if err != nil || !in.Enrolled {
		return
	}
	s.quiet = true
	s.run()
}

// rejectionReasons says, once per reason and with how many changes, why
// the county refused changes (they stay on this computer).
func rejectionReasons(rs []wire.Rejection) string {
	count := map[string]int{}
	var order []string
	for _, r := range rs {
		if count[r.Reason] == 0 {
			order = append(order, r.Reason)
		}
		count[r.Reason]++
	}
	var b strings.Builder
	for _, r := range order {
		b.WriteString("\n" + T("syncscreen.rejected_reason", T("sync.reason."+r), count[r]))
	}
	return b.String()
}
