package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/store"
	"rehabdesk/store/ledger"
)

// addFlags shows what an import left for the officer to check on this file:
// each ledger cell it could not take, and each measure it took as ended
// because the ledger's end date had passed. A flag stays until the officer
// marks it done.
func (f *personFile) addFlags() {
	if f.ui.st.Session().Role != "officer" {
		return
	}
	p, err := f.ui.st.Get(f.ui.ctx, f.id)
	if err != nil {
		return
	}
	for _, line := range ledger.SetAsideLines(p.Get("ledger_extra")) {
		f.alerts.Add(f.flagRow(T("person.flag_cell", line), func() error {
			cur, err := f.ui.st.Get(f.ui.ctx, f.id)
			if err == nil {
				_, err = f.ui.st.Put(f.ui.ctx, store.KindPerson, f.id, map[string]string{"ledger_extra": ledger.DropLine(cur.Get("ledger_extra"), line)})
			}
			if err == nil {
				f.ui.auditRecord("edit", store.KindPerson, f.id)
			}
			return err
		}))
	}
	ms, _ := f.ui.st.List(f.ui.ctx, store.KindMeasure, store.ListFilter{PersonID: f.id})
	for _, m := range ms {
		if m.Get("confirm") == "1" {
			f.alerts.Add(f.flagRow(T("person.flag_ended", enumLabel("measure_type", m.Get("type")), formatDate(m.Get("end_date"))), func() error {
				_, err := f.ui.st.Put(f.ui.ctx, store.KindMeasure, m.ID, map[string]string{"confirm": ""})
				if err == nil {
					f.ui.auditRecord("edit", store.KindMeasure, m.ID)
				}
				return err
			}))
		}
	}
}

// flagRow is one flag with its "done" button.
func (f *personFile) flagRow(text string, done func() error) fyne.CanvasObject {
	l := &widget.Label{Text: text, Importance: widget.WarningImportance, Truncation: fyne.TextTruncateEllipsis}
	b := &widget.Button{Text: T("person.flag_done"), Icon: theme.ConfirmIcon(), Importance: widget.LowImportance}
	b.OnTapped = func() {
		if err := done(); err != nil {
			f.ui.showError(err)
			return
		}
		f.refreshAlerts()
	}
	return container.NewBorder(nil, nil, nil, b, l)
}
