package app

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// printJob is a print running off the UI thread: a dialog with a
// progress bar and a cancel button, as import and export have on their
// screen. Cancel (or Esc) cancels ctx; the paper package then stops and
// leaves no file at the chosen path.
type printJob struct {
	ui     *UI
	ctx    context.Context
	stop   context.CancelFunc
	bar    *widget.ProgressBar // nil while the steps are not counted
	dialog dialog.Dialog
}

// startPrint shows the dialog of a print titled title whose steps are
// counted (a sheet's rows); the caller runs the print with the job's ctx
// and progress, then calls finish.
func (u *UI) startPrint(title string) *printJob {
	j := &printJob{bar: &widget.ProgressBar{}}
	return u.showPrint(j, title, j.bar)
}

// startPrintUncounted is startPrint for a print of one paper, which says
// nothing of its steps: the bar runs without end.
func (u *UI) startPrintUncounted(title string) *printJob {
	return u.showPrint(&printJob{}, title, widget.NewProgressBarInfinite())
}

func (u *UI) showPrint(j *printJob, title string, bar fyne.CanvasObject) *printJob {
	ctx, stop := context.WithCancel(u.ctx)
	j.ui, j.ctx, j.stop = u, ctx, stop
	note := &widget.Label{Text: T("print.working"), Wrapping: fyne.TextWrapWord}
	j.dialog = dialog.NewCustom(title, T("transfer.cancel"), container.NewVBox(note, bar), u.win)
	j.dialog.SetOnClosed(stop)
	j.dialog.Resize(fyne.NewSize(420, 0))
	j.dialog.Show()
	return j
}

// progress moves the bar; it is called on the printing goroutine. A long
// print is activity: the app does not lock under it.
func (j *printJob) progress(done, total int) {
	fyne.Do(func() {
		j.ui.idle.Touch()
		if j.bar != nil && total > 0 {
			j.bar.SetValue(float64(done) / float64(total))
		}
	})
}

// finish closes the dialog and says how the print ended: saved (then
// says where), cancelled (nothing written) or failed. Call it on the UI
// thread.
func (j *printJob) finish(err error, saved func()) {
	j.dialog.Hide()
	j.stop()
	switch {
	case errors.Is(err, context.Canceled):
		j.ui.showMessage(T("print.cancelled_title"), T("print.cancelled"))
	case err != nil:
		j.ui.showError(err)
	default:
		saved()
	}
}
