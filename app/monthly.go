package app

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/store/report"
)

// monthlyReport is the 月报 part of the Import/Export page: choose a month
// (this month as a draft, or one of the twelve before), write the
// government-form workbook, submit it to the county (sent with the next
// sync). Figures count events by their own dates, so an entry made after a
// month was submitted changes it: the page says so and offers the
// correction (更正).
type monthlyReport struct {
	ui     *UI
	month  *widget.Select
	months []report.Month
	status *widget.Label
	notice *widget.Label // a submitted month that changed since
	write  *widget.Button
	submit *widget.Button

	// While a report is computed: an endless bar and a way to stop it.
	busy   *widget.ProgressBarInfinite
	cancel *widget.Button
	stop   context.CancelFunc
}

func newMonthlyReport(u *UI) *monthlyReport {
	r := &monthlyReport{ui: u, status: &widget.Label{Wrapping: fyne.TextWrapWord},
		notice: &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance}}
	t := u.st.Today()
	m := report.Month{Year: t.Year(), Month: t.Month()}
	r.months = []report.Month{m}
	labels := []string{T("monthly.month_draft", m.Year, int(m.Month))}
	for range 12 {
		m = m.Prev()
		r.months = append(r.months, m)
		labels = append(labels, T("monthly.month", m.Year, int(m.Month)))
	}
	r.month = &widget.Select{Options: labels}
	r.month.SetSelectedIndex(1) // last month: the one to report in the first days of this one
	r.notice.Hide()
	r.write = &widget.Button{Text: T("monthly.write"), OnTapped: r.pickFile}
	r.submit = &widget.Button{Text: T("monthly.submit"), OnTapped: r.onSubmit}
	r.busy = widget.NewProgressBarInfinite()
	r.busy.Stop()
	r.busy.Hide()
	r.cancel = &widget.Button{Text: T("form.cancel"), OnTapped: r.onCancel}
	r.cancel.Hide()
	return r
}

// onCancel stops the computation; nothing is written or submitted.
func (r *monthlyReport) onCancel() {
	if r.stop != nil {
		r.stop()
	}
}

// running shows or hides the progress bar and cancel button.
func (r *monthlyReport) running(on bool) {
	if on {
		r.write.Disable()
		r.submit.Disable()
		r.busy.Show()
		r.busy.Start()
		r.cancel.Show()
		return
	}
	r.write.Enable()
	r.submit.Enable()
	r.busy.Stop()
	r.busy.Hide()
	r.cancel.Hide()
}

func (r *monthlyReport) content() fyne.CanvasObject {
	r.checkChanged()
	return container.NewVBox(heading(T("monthly.title")), r.notice,
		container.NewHBox(&widget.Label{Text: T("monthly.pick")}, r.month, r.write, r.submit),
		container.NewBorder(nil, nil, nil, r.cancel, r.busy), r.status)
}

// checkChanged looks, off the UI thread, at the three months before this
// one: a month submitted whose figures changed since (an entry dated in it
// made later) is named, selected, and the submit button offers the
// correction.
func (r *monthlyReport) checkChanged() {
	st, ctx := r.ui.st, r.ui.ctx
	months := r.months[1:4]
	r.ui.opt.Background(func() {
		mr, err := report.FirstChanged(ctx, st, months)
		if err != nil || mr == nil {
			return
		}
		for i, m := range months {
			if m.String() == mr.Month {
				fyne.Do(func() { r.offerCorrection(i+1, mr) })
			}
		}
	})
}

// offerCorrection shows which month changed and turns submit into 报送更正.
func (r *monthlyReport) offerCorrection(index int, m *report.Monthly) {
	names := make([]string, len(m.Changed))
	for i, id := range m.Changed {
		names[i] = report.T(currentLang, "report.metric."+id)
	}
	month := r.months[index]
	r.notice.SetText(T("monthly.changed_notice", month.Year, int(month.Month), strings.Join(names, "、")))
	r.notice.Show()
	r.month.SetSelectedIndex(index)
	r.submit.SetText(T("monthly.correct"))
}

func (r *monthlyReport) selected() report.Month { return r.months[max(r.month.SelectedIndex(), 0)] }

func (r *monthlyReport) pickFile() {
	m := r.selected()
	r.ui.pickSavePath(T("monthly.file", m.String())+".xlsx", func(path string) { r.run(m, path, false) })
}

func (r *monthlyReport) onSubmit() {
	m := r.selected()
	r.ui.confirm(T("monthly.submit"), T("monthly.submit_text", m.Year, int(m.Month)), T("monthly.submit"), func() { r.run(m, "", true) })
}

// run computes the report off the UI thread (it replays the change log to
// the month's end), then writes the workbook or records the submission.
func (r *monthlyReport) run(m report.Month, path string, submit bool) {
	r.running(true)
	r.status.SetText(T("monthly.computing"))
	ctx, stop := context.WithCancel(r.ui.ctx)
	r.stop = stop
	st, lang := r.ui.st, currentLang
	r.ui.opt.Background(func() {
		defer stop()
		mr, err := report.Generate(ctx, st, m)
		if err == nil && path != "" {
			err = report.WriteWorkbookFile(path, mr, lang, time.Now())
		}
		rev := 0
		if err == nil && submit {
			rev, err = report.Submit(ctx, st, mr, st.Now())
		}
		fyne.Do(func() { r.done(mr, path, rev, err) })
	})
}

func (r *monthlyReport) done(m *report.Monthly, path string, rev int, err error) {
	r.running(false)
	if err != nil {
		r.status.SetText("")
		r.ui.showError(err)
		return
	}
	c := m.Total.Counts
	rate := func(id string) string {
		d, _ := report.DefOf(id)
		return report.Percent(d.Value(c))
	}
	text := T("monthly.summary", m.Month, c["persons"], c["in_measure"], c["tests"], rate("test_rate"), rate("placement_rate")) +
		"\n" + report.StatusLine(currentLang, m)
	if path != "" {
		text += "\n" + T("monthly.written", path)
	}
	if rev > 0 {
		text += "\n" + T("monthly.submitted", rev)
		r.notice.Hide()
		r.submit.SetText(T("monthly.submit"))
	}
	r.status.SetText(text)
}
