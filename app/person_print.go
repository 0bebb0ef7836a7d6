package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/store/paper"
)

// withPrint puts the "打印/导出PDF" button beside the back button of an
// officer's view of the file; others see the back button alone.
func (f *personFile) withPrint(back fyne.CanvasObject) fyne.CanvasObject {
	if f.ui.st.Session().Role != "officer" {
		return back
	}
	b := &widget.Button{Text: T("person.print"), Icon: theme.DocumentPrintIcon(), Importance: widget.LowImportance, OnTapped: f.onPrint}
	return container.NewHBox(back, b)
}

// onPrint lists the papers of this file (the summary and each standard
// document that applies); choosing one asks where to save its PDF.
func (f *personFile) onPrint() {
	file, err := paper.Load(f.ui.ctx, f.ui.st, f.id)
	if err != nil {
		f.ui.showError(err)
		return
	}
	papers := file.Papers(f.ui.st.Today())
	var d dialog.Dialog
	list := widget.NewList(func() int { return len(papers) },
		func() fyne.CanvasObject { return &widget.Label{Truncation: fyne.TextTruncateEllipsis} },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(paperLabel(papers[i])) })
	list.OnSelected = func(i widget.ListItemID) {
		list.UnselectAll()
		d.Hide()
		f.savePaper(file, papers[i])
	}
	hint := &widget.Label{Text: T("person.print_hint"), Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}
	d = dialog.NewCustom(T("person.print_title", file.Person.Get("name")), T("app.cancel"), container.NewBorder(hint, nil, nil, nil, list), f.ui.win)
	d.Resize(fyne.NewSize(560, 460))
	d.Show()
}

// paperLabel is a paper's line in the list: its name and the date of the
// record it is about.
func paperLabel(p paper.Paper) string {
	if p.Date == "" {
		return paperName(p)
	}
	return T("person.print_item", paperName(p), formatDate(p.Date))
}

// paperName names a paper in the UI's language: in Chinese its printed
// title, in English a translation (the paper itself stays Chinese: it is
// a legal form).
func paperName(p paper.Paper) string {
	key := "person.paper_name." + string(p.Doc)
	if p.Measure == "" {
		return T(key)
	}
	return T(key, enumLabel("measure_type", p.Measure))
}

// paperFileName suggests a file name: the person, the paper and its date.
func paperFileName(name string, p paper.Paper) string {
	parts := []string{name, paperName(p)}
	if p.Date != "" {
		parts = append(parts, p.Date)
	}
	clean := strings.NewReplacer("/", "_", "\\", "_", ":", "_", "*", "_", "?", "_", "\"", "_", "<", "_", ">", "_", "|", "_")
	return clean.Replace(strings.Join(parts, "-")) + ".pdf"
}

// savePaper asks where to save the PDF, then prints it off the UI thread
// into that file only, with a cancel button (a long file takes a moment:
// the font is subset), and says where it went.
func (f *personFile) savePaper(file *paper.File, p paper.Paper) {
	f.ui.pickSavePath(paperFileName(file.Person.Get("name"), p), func(path string) {
		st := f.ui.st
		job := f.ui.startPrintUncounted(T("person.print"))
		f.ui.opt.Background(func() {
			err := paper.Export(job.ctx, st, path, file, p, st.Now())
			fyne.Do(func() {
				job.finish(err, func() { f.ui.showMessage(T("person.print_saved_title"), T("person.print_saved", path)) })
			})
		})
	})
}
