package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/store"
	"rehabdesk/store/rules"
)

// personDuties are the workflow actions of an officer on the person's file
// (issue 18): each duty the law puts on the township is one button that
// opens a small form and writes through the store in one audited
// transaction (store/workflow.go); the file's alerts are computed again
// right after.
type personDuties struct {
	f       *personFile
	bar     *fyne.Container
	buttons map[string]*widget.Button
	control *widget.Label // end of dynamic control (戒毒条例 art. 7)
	last    *dutyDialog   // the dialog opened last, for tests to drive
}

func newPersonDuties(f *personFile) *personDuties {
	pd := &personDuties{f: f, buttons: map[string]*widget.Button{},
		control: &widget.Label{Importance: widget.SuccessImportance, Wrapping: fyne.TextWrapWord}}
	pd.control.Hide()
	actions := []struct {
		name string
		icon fyne.Resource
		tap  func()
	}{
		{store.DutyAgreement, theme.DocumentCreateIcon(), pd.onAgreement},
		{store.DutyLeave, theme.MailSendIcon(), pd.onLeave},
		{store.DutyReturn, theme.HomeIcon(), pd.onReturn},
		{store.DutyTransfer, theme.MailForwardIcon(), pd.onTransfer},
		{store.DutyLost, theme.QuestionIcon(), pd.onLost},
		{store.DutyFound, theme.ConfirmIcon(), pd.onFound},
		{"outcome", theme.MediaStopIcon(), pd.onOutcome},
	}
	pd.bar = container.NewHBox()
	for _, a := range actions {
		b := &widget.Button{Text: T("duty." + a.name), Icon: a.icon, Importance: widget.LowImportance, OnTapped: a.tap}
		pd.buttons[a.name] = b
		pd.bar.Add(b)
	}
	return pd
}

func (pd *personDuties) content() fyne.CanvasObject {
	return container.NewVBox(container.NewHScroll(pd.bar), pd.control)
}

// today is the China date a new action starts from.
func (pd *personDuties) today() string { return pd.f.ui.st.Today().Format("2006-01-02") }

// refresh shows the buttons the file's state allows and the end of
// dynamic control.
func (pd *personDuties) refresh() {
	f := pd.f
	p, err := f.ui.st.Get(f.ui.ctx, f.id)
	if err != nil {
		return
	}
	lost := p.Get("lost_contact") != ""
	showIf(pd.buttons[store.DutyLost], !lost)
	showIf(pd.buttons[store.DutyFound], lost)
	showIf(pd.buttons[store.DutyReturn], len(pd.openLeaves()) > 0)
	rp, err := rules.LoadPerson(f.ui.ctx, f.ui.st, f.id)
	note := ""
	if err == nil {
		note = rules.ControlEndNote(currentLang, rp, rules.Today(f.ui.st))
	}
	pd.control.SetText(note)
	showIf(pd.control, note != "")
}

func showIf(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}

// done re-reads the file after an action: its alerts, tabs and buttons.
func (pd *personDuties) done() {
	f := pd.f
	for _, t := range f.events {
		t.refresh()
	}
	if f.files != nil {
		f.files.refresh()
	}
	f.refreshAlerts()
	f.ps.apply()
}

func (pd *personDuties) open(title string, note string, run func() error) *dutyDialog {
	dd := pd.last
	dd.show(title, T("duty.ok"), note, run, pd.done)
	return dd
}

func (pd *personDuties) start() *dutyDialog {
	pd.last = newDutyDialog(pd.f.ui)
	return pd.last
}

// onAgreement signs the agreement (戒毒条例 arts. 16, 38).
func (pd *personDuties) onAgreement() {
	dd := pd.start()
	dd.entry("signed_date", fieldName("signed_date"), pd.today())
	for _, n := range []string{"staff_member", "police", "doctor", "family", "volunteer"} {
		dd.entry(n, fieldName(n), "")
	}
	pd.open(T("duty.agreement_title"), T("duty.agreement_note"), func() error {
		vals := map[string]string{}
		for n, e := range dd.entries {
			vals[n] = e.Text
		}
		_, err := pd.f.ui.st.SignAgreement(pd.f.ui.ctx, pd.f.id, vals)
		return err
	})
}

// onLeave records a reported leave with its expected return (art. 19).
func (pd *personDuties) onLeave() {
	dd := pd.start()
	dd.entry("depart_date", fieldName("depart_date"), pd.today())
	dd.entry("expected_return", fieldName("expected_return"), "")
	dd.entry("destination", fieldName("destination"), "")
	dd.entry("reason", fieldName("reason"), "")
	dd.entry("approved_by", fieldName("approved_by"), "")
	pd.open(T("duty.leave_title"), T("duty.leave_note"), func() error {
		vals := map[string]string{}
		for n, e := range dd.entries {
			vals[n] = e.Text
		}
		_, err := pd.f.ui.st.RecordLeave(pd.f.ui.ctx, pd.f.id, vals)
		return err
	})
}

// openLeaves are the person's leaves with no return recorded, newest last.
func (pd *personDuties) openLeaves() []*store.Record {
	ls, err := pd.f.ui.st.List(pd.f.ui.ctx, store.KindLeave, store.ListFilter{PersonID: pd.f.id})
	if err != nil {
		return nil
	}
	var out []*store.Record
	for _, l := range ls {
		if l.Get("actual_return") == "" {
			out = append(out, l)
		}
	}
	return out
}

// onReturn records the return from one of the open leaves.
func (pd *personDuties) onReturn() {
	open := pd.openLeaves()
	if len(open) == 0 {
		return
	}
	names := make([]string, len(open))
	for i, l := range open {
		names[i] = T("duty.leave_item", formatDate(l.Get("depart_date")), formatDate(l.Get("expected_return")), l.Get("destination"))
	}
	dd := pd.start()
	sel := dd.choice("leave", T("duty.which_leave"), names, len(names)-1)
	dd.entry("actual_return", fieldName("actual_return"), pd.today())
	pd.open(T("duty.return_title"), "", func() error {
		if sel.SelectedIndex() < 0 {
			return errNoChoice
		}
		return pd.f.ui.st.RecordReturn(pd.f.ui.ctx, open[sel.SelectedIndex()].ID, dd.value("actual_return"))
	})
}

// onLost marks the person as lost contact (失联) from a day.
func (pd *personDuties) onLost() {
	dd := pd.start()
	dd.entry("lost_contact", fieldName("lost_contact"), pd.today())
	pd.open(T("duty.lost_title"), T("duty.lost_note"), func() error {
		return pd.f.ui.st.MarkLostContact(pd.f.ui.ctx, pd.f.id, dd.value("lost_contact"))
	})
}

// onFound clears the lost-contact mark on the day the person was found
// (today unless the officer gives an earlier one): the monthly report
// counts the 失联 until that day.
func (pd *personDuties) onFound() {
	dd := pd.start()
	dd.entry("found_date", fieldName("found_date"), pd.today())
	pd.open(T("duty.found_title"), T("duty.found_note"), func() error {
		return pd.f.ui.st.MarkFound(pd.f.ui.ctx, pd.f.id, dd.value("found_date"))
	})
}

// outcomes are the measure outcomes in the order offered.
var outcomes = []string{store.DutyReportedIn, store.DutyCompleted, store.DutySuspended, store.DutyResumed, store.DutyTerminated}

// onOutcome records the report-in, completion, suspension, resumption or
// termination of the measure in force.
func (pd *personDuties) onOutcome() {
	f := pd.f
	ms, err := f.ui.st.List(f.ui.ctx, store.KindMeasure, store.ListFilter{PersonID: f.id})
	m := store.CurrentMeasure(ms)
	if err == nil && m == nil {
		err = store.ErrNoMeasure
	}
	if err != nil {
		f.ui.showError(err)
		return
	}
	names := make([]string, len(outcomes))
	for i, o := range outcomes {
		names[i] = T("duty.outcome." + o)
	}
	dd := pd.start()
	sel := dd.choice("outcome", T("duty.outcome_choice"), names, -1)
	dd.entry("day", T("duty.outcome_day"), pd.today())
	note := T("duty.outcome_note", recordTitle(m), enumLabel("measure_status", m.Get("status")))
	pd.open(T("duty.outcome_title"), note, func() error {
		if sel.SelectedIndex() < 0 {
			return errNoChoice
		}
		return f.ui.st.SetMeasureOutcome(f.ui.ctx, m.ID, outcomes[sel.SelectedIndex()], dd.value("day"))
	})
}
