package app

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/store/report"
)

// monthlyReport is the 月报 part of the Import/Export page: choose a month,
// write the government-form workbook, submit it to the county (sent with
// the next sync). Figures are as of the month's end, so an old month
// regenerates the same.
type monthlyReport struct {
	ui     *UI
	month  *widget.Select
	months []report.Month
	status *widget.Label
	write  *widget.Button
	submit *widget.Button

	// While a report is computed: an endless bar and a way to stop it.
	busy   *widget.ProgressBarInfinite
	cancel *widget.Button
	stop   context.CancelFunc
}

func newMonthlyReport(u *UI) *monthlyReport {
	r := &monthlyReport{ui: u, status: &widget.Label{Wrapping: fyne.TextWrapWord}}
	t := u.st.Today()
	m := report.Month{Year: t.Year(), Month: t.Month()}
	var labels []string
	for range 12 {
		m = m.Prev()
		r.months = append(r.months, m)
		labels = append(labels, T("monthly.month", m.Year, int(m.Month)))
	}
	r.month = &widget.Select{Options: labels}
	r.month.SetSelectedIndex(0)
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
	return container.NewVBox(heading(T("monthly.title")),
		container.NewHBox(&widget.Label{Text: T("monthly.pick")}, r.month, r.write, r.submit),
		container.NewBorder(nil, nil, nil, r.cancel, r.busy), r.status)
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
		if err == nil && submit {
			err = report.Submit(ctx, st, mr, time.Now())
		}
		fyne.Do(func() { r.done(mr, path, submit, err) })
	})
}

func (r *monthlyReport) done(m *report.Monthly, path string, submit bool, err error) {
	r.running(false)
	if err != nil {
		r.status.SetText("")
		r.ui.showError(err)
		return
	}
	c := m.Total.Counts
	text := T("monthly.summary", m.Month, c["persons"], c["tests"], c.PlacementRate())
	if path != "" {
		text += "\n" + T("monthly.written", path)
	}
	if submit {
		text += "\n" + T("monthly.submitted")
	}
	r.status.SetText(text)
}
