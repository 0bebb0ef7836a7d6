package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/assets"
	"rehabdesk/store"
	"rehabdesk/store/rules"
	"rehabdesk/store/valid"
)

// personTabs are the event kinds of a person file, in the order of the
// paper file (一人一档).
var personTabs = []store.Kind{
	store.KindMeasure, store.KindAgreement, store.KindDrugTest, store.KindVisit, store.KindLeave,
	store.KindViolation, store.KindRisk, store.KindAssistance, store.KindPlacement, store.KindAssignment,
}

// personFile is one person's file: basic information, one tab per kind of
// event and the change history.
type personFile struct {
	ps     *peopleScreen
	ui     *UI
	id     string
	rec    *store.Record
	title  *widget.Label
	alerts *fyne.Container
	basic  *recordForm
	events []*eventTab
	files  *filesTab     // attachments, officers only
	duties *personDuties // workflow actions, officers only
	hist   *historyTab
	tabs   *container.AppTabs
}

func newPersonFile(ps *peopleScreen, id string) *personFile {
	return &personFile{ps: ps, ui: ps.ui, id: id, title: &widget.Label{TextStyle: fyne.TextStyle{Bold: true}},
		alerts: container.NewVBox()}
}

func (f *personFile) content() fyne.CanvasObject {
	back := f.withPrint(&widget.Button{Text: T("person.back"), Icon: theme.NavigateBackIcon(), OnTapped: f.onBack})
	// Opening a file is recorded in the audit log (who looked at whom).
	rec, err := f.ui.st.ViewPerson(f.ui.ctx, f.id)
	if err != nil {
		f.ui.showError(err)
		return container.NewBorder(back, nil, nil, nil, &widget.Label{Text: errText(err)})
	}
	f.rec = rec
	f.setTitle()
	f.tabs = container.NewAppTabs(container.NewTabItem(T("person.basic"), f.basicTab()))
	for _, k := range personTabs {
		if f.ui.st.Session().Role == "volunteer" && k != store.KindVisit {
			continue // volunteers see what a visit needs, nothing more
		}
		t := newEventTab(f.ui, k, f.id)
		t.onChange = f.refreshAlerts
		f.events = append(f.events, t)
		f.tabs.Append(container.NewTabItem(T("kind."+string(k)), t.content()))
	}
	officer := f.ui.st.Session().Role == "officer"
	if officer {
		f.files = newFilesTab(f.ui, f.id)
		f.tabs.Append(container.NewTabItem(T("files.tab"), f.files.content()))
	}
	if f.ui.st.Session().Role != "volunteer" {
		f.hist = newHistoryTab(f.ui, f.id)
		f.tabs.Append(container.NewTabItem(T("person.history"), f.hist.content()))
	}
	f.tabs.OnSelected = func(*container.TabItem) { f.refresh() }
	f.refreshAlerts()
	var archive fyne.CanvasObject
	if f.ui.st.Session().Role == "officer" {
		archive = &widget.Button{Text: T("person.archive"), Icon: theme.DeleteIcon(), Importance: widget.LowImportance, OnTapped: f.onArchive}
	}
	top := container.NewVBox(container.NewBorder(nil, nil, back, archive, f.title), f.alerts)
	if officer {
		f.duties = newPersonDuties(f)
		f.duties.refresh()
		top.Add(f.duties.content())
	}
	return container.NewBorder(top, nil, nil, nil, f.tabs)
}

func (f *personFile) setTitle() {
	f.title.SetText(f.rec.Get("name") + "　" + valid.MaskID(f.rec.Get("id_number")) + "　" + assets.Name(f.rec.Get("village")))
}

// basicTab is the person's own record as an editable form.
func (f *personFile) basicTab() fyne.CanvasObject {
	f.basic = newRecordForm(f.ui, store.KindPerson, f.rec, nil)
	f.basic.onSaved = f.onBasicSaved
	f.ui.formOpened(f.basic)
	save := &widget.Button{Text: T("form.save"), Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: f.basic.save}
	bar := container.NewBorder(nil, nil, &widget.Label{Text: T("form.keys_hint_inline"), Importance: widget.LowImportance}, save)
	return container.NewBorder(nil, bar, nil, nil, container.NewScroll(f.basic.content()))
}

func (f *personFile) onBasicSaved(string) {
	if rec, err := f.ui.st.Get(f.ui.ctx, f.id); err == nil {
		f.rec = rec
		f.basic.load(rec)
		for _, name := range f.basic.order {
			f.basic.orig[name] = f.basic.in[name].value()
		}
		f.basic.dirty = false
		f.setTitle()
	}
	f.refreshAlerts()
	f.ui.showMessage(T("person.saved_title"), T("person.saved"))
}

// onBack leaves the file, asking first about unsaved basic information.
func (f *personFile) onBack() {
	if f.basic != nil && f.basic.dirty {
		f.ui.confirm(T("form.discard_title"), T("form.discard_text"), T("form.discard"), f.ps.closePerson)
		return
	}
	f.ps.closePerson()
}

// onArchive takes the person off the lists after asking (a person who
// moved away or died); the file and its history stay in the database.
func (f *personFile) onArchive() {
	f.ui.confirm(T("person.archive"), T("person.archive_text", f.rec.Get("name")), T("person.archive"), func() {
		if err := f.ui.st.Archive(f.ui.ctx, f.id); err != nil {
			f.ui.showError(err)
			return
		}
		f.ui.auditRecord("archive", store.KindPerson, f.id)
		f.ps.sh.personAlerts(f.id) // drops the person from the loaded alerts
		f.ps.closePerson()
	})
}

func (f *personFile) close() {
	if f.basic != nil {
		f.ui.formClosed(f.basic)
	}
}

// refresh reloads the tab on show, since a sync or import may have
// changed the file meanwhile.
func (f *personFile) refresh() {
	f.ui.idle.Touch()
	if f.tabs == nil {
		return
	}
	i := f.tabs.SelectedIndex() - 1
	switch {
	case i >= 0 && i < len(f.events):
		f.events[i].refresh()
	case i == len(f.events) && f.files != nil:
		f.files.refresh()
	case f.hist != nil && f.tabs.Selected() == f.tabs.Items[len(f.tabs.Items)-1]:
		f.hist.refresh()
	}
}

// maxFileAlerts is how many alert lines the file header shows.
const maxFileAlerts = 4

// refreshAlerts shows this person's alerts under the title, computed from
// the file alone right after each edit.
func (f *personFile) refreshAlerts() {
	f.alerts.Objects = nil
	alerts := f.ps.sh.personAlerts(f.id)
	for i, a := range alerts {
		if i == maxFileAlerts { // most urgent first; keep the tabs in view
			f.alerts.Add(&widget.Label{Text: T("person.more_alerts", len(alerts)-maxFileAlerts), Importance: widget.LowImportance})
			break
		}
		f.alerts.Add(&widget.Label{Text: T("person.alert", rules.SeverityText(currentLang, a.Severity), a.Explain(currentLang)),
			Importance: severityImportance(a.Severity), Truncation: fyne.TextTruncateEllipsis})
	}
	f.addFlags()
	f.alerts.Refresh()
	if f.duties != nil {
		f.duties.refresh()
	}
}
