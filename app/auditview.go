package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/store"
)

var auditActions = []string{store.ActionViewPerson, store.ActionRevealID, store.ActionExport, store.ActionImport,
	store.ActionReport, store.ActionSync, store.ActionSignIn, store.ActionSignInFailed, store.ActionBackup,
	store.ActionRestore, store.ActionAccountChange, store.ActionRecord}

var auditColumns = []struct {
	key   string
	width float32
}{{"history.when", 170}, {"history.who", 110}, {"audit.action", 150}, {"audit.person", 120}, {"history.device", 110}, {"audit.detail", 300}}

// auditView lists the audit log (who looked at or exported what, when),
// newest first, filtered by action and user.
type auditView struct {
	ui      *UI
	action  *choiceInput
	user    *widget.Entry
	entries []store.AuditEntry
	table   *widget.Table
}

func newAuditView(u *UI) *auditView {
	a := &auditView{ui: u, user: &widget.Entry{PlaceHolder: T("audit.user_hint")}}
	labels := make([]string, len(auditActions))
	for i, act := range auditActions {
		labels[i] = T("audit.action." + act)
	}
	a.action = newChoiceInput(auditActions, labels, false)
	a.action.labels[0] = T("people.all")
	a.action.s.Options = a.action.labels
	a.action.onChanged(a.refresh)
	a.user.OnChanged = func(string) { a.refresh() }
	a.table = &widget.Table{
		Length:       func() (int, int) { return len(a.entries), len(auditColumns) },
		CreateCell:   func() fyne.CanvasObject { return &widget.Label{Truncation: fyne.TextTruncateEllipsis} },
		UpdateCell:   a.updateCell,
		CreateHeader: func() fyne.CanvasObject { return &widget.Label{TextStyle: fyne.TextStyle{Bold: true}} },
		UpdateHeader: func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Col >= 0 {
				o.(*widget.Label).SetText(T(auditColumns[id.Col].key))
			}
		},
	}
	a.table.ShowHeaderRow = true
	a.table.ExtendBaseWidget(a.table)
	for i, c := range auditColumns {
		a.table.SetColumnWidth(i, c.width)
	}
	return a
}

// content is built with the settings page; the log is read when its tab
// is opened (see refresh), not at sign-in.
func (a *auditView) content() fyne.CanvasObject {
	bar := container.NewGridWithColumns(2, labeled(T("audit.action"), a.action.s), labeled(T("history.who"), a.user))
	return container.NewBorder(bar, nil, nil, nil, a.table)
}

// refresh reads the newest 1000 matching entries once; cells read memory.
func (a *auditView) refresh() {
	es, err := a.ui.st.AuditLog(a.ui.ctx, store.AuditFilter{Action: a.action.value(), User: a.user.Text, Limit: 1000})
	if err != nil {
		a.ui.showError(err)
		return
	}
	a.entries = es
	a.table.Refresh()
}

func (a *auditView) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	if id.Row >= len(a.entries) {
		return
	}
	e := a.entries[id.Row]
	var text string
	switch id.Col {
	case 0:
		text = formatDateTime(e.Time.In(chinaTime))
	case 1:
		text = e.User
	case 2:
		text = T("audit.action." + e.Action)
	case 3:
		if p, ok := a.ui.st.SearchEntry(e.PersonID); ok {
			text = p.Name
		}
	case 4:
		text = shortDevice(a.ui.st, e.Device)
	case 5:
		text = auditDetail(e)
	}
	o.(*widget.Label).SetText(text)
}
