package app

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/store"
	"rehabdesk/store/rules"
)

// alertList is the day's tasks: every alert of the rules engine, most
// urgent first, each opening the person (or the volunteer roster).
type alertList struct {
	h       *homeScreen
	alerts  []rules.Alert
	names   map[string]string // volunteer id -> name
	list    *widget.List
	summary *widget.Label
	gen     int // refresh generation, so a slow old result is dropped
}

func newAlertList(h *homeScreen) *alertList {
	a := &alertList{h: h, summary: &widget.Label{Wrapping: fyne.TextWrapWord}}
	a.list = &widget.List{
		Length:     func() int { return len(a.alerts) },
		CreateItem: newAlertRow,
		UpdateItem: a.updateItem,
		OnSelected: a.onSelected,
	}
	a.list.ExtendBaseWidget(a.list)
	return a
}

func newAlertRow() fyne.CanvasObject {
	sev := &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	title := &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	why := &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	return container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(150, 36), sev), nil, container.NewVBox(title, why))
}

func (a *alertList) content() fyne.CanvasObject {
	return container.NewBorder(a.summary, nil, nil, nil, a.list)
}

// refresh computes the alerts off the UI thread. Reading every record of
// a large township takes seconds, so the shell keeps the loaded data
// (rules.Live) and later refreshes only evaluate it again.
func (a *alertList) refresh() {
	if a.h.ui.st.Session().Role == "volunteer" {
		// The rules read tests and violations a volunteer may not see.
		a.summary.SetText(T("home.volunteer_hint"))
		return
	}
	a.gen++
	gen, st, ctx, live := a.gen, a.h.ui.st, a.h.ui.ctx, a.h.sh.live
	if live == nil {
		a.summary.SetText(T("home.loading"))
	}
	a.h.ui.opt.Background(func() {
		live, alerts, names, err := computeAlerts(ctx, st, live)
		fyne.Do(func() {
			if gen != a.gen {
				return
			}
			if live != nil {
				a.h.sh.live = live
			}
			a.show(alerts, names, err)
		})
	})
}

func computeAlerts(ctx context.Context, st *store.Store, live *rules.Live) (*rules.Live, []rules.Alert, map[string]string, error) {
	var err error
	if live == nil {
		if live, err = rules.NewLive(ctx, st); err != nil {
			return nil, nil, nil, err
		}
	}
	names := map[string]string{}
	vols, err := st.List(ctx, store.KindVolunteer, store.ListFilter{})
	if err != nil {
		return nil, nil, nil, err
	}
	for _, v := range vols {
		names[v.ID] = v.Get("name")
	}
	return live, live.Alerts(rules.Today(st)), names, nil
}

func (a *alertList) show(alerts []rules.Alert, names map[string]string, err error) {
	if err != nil {
		a.summary.SetText(errText(err))
		return
	}
	a.alerts, a.names = alerts, names
	alerted := map[string]bool{}
	for _, al := range alerts {
		if al.PersonID != "" {
			alerted[al.PersonID] = true
		}
	}
	a.h.sh.alerted = alerted
	counts := map[rules.Severity]int{}
	for _, al := range alerts {
		counts[al.Severity]++
	}
	if len(alerts) == 0 {
		a.summary.SetText(T("home.no_tasks"))
	} else {
		a.summary.SetText(T("home.task_counts", len(alerts), counts[rules.Police], counts[rules.Overdue], counts[rules.DueSoon], counts[rules.Info]))
	}
	a.list.UnselectAll()
	a.list.Refresh()
}

func (a *alertList) updateItem(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(a.alerts) {
		return
	}
	al := a.alerts[i]
	row := o.(*fyne.Container)
	sev := row.Objects[1].(*fyne.Container).Objects[0].(*widget.Label)
	lines := row.Objects[0].(*fyne.Container).Objects
	sev.Text = rules.SeverityText(currentLang, al.Severity)
	sev.Importance = severityImportance(al.Severity)
	sev.Refresh()
	lines[0].(*widget.Label).SetText(a.who(al) + al.Title(currentLang))
	lines[1].(*widget.Label).SetText(al.Explain(currentLang))
}

// who names the person or volunteer an alert is about, from memory.
func (a *alertList) who(al rules.Alert) string {
	if al.PersonID != "" {
		if e, ok := a.h.ui.st.SearchEntry(al.PersonID); ok {
			return e.Name + " · "
		}
	}
	if n := a.names[al.VolunteerID]; n != "" {
		return n + " · "
	}
	return ""
}

func severityImportance(s rules.Severity) widget.Importance {
	switch s {
	case rules.Police:
		return widget.DangerImportance
	case rules.Overdue:
		return widget.WarningImportance
	case rules.DueSoon:
		return widget.HighImportance
	}
	return widget.LowImportance
}

func (a *alertList) onSelected(i widget.ListItemID) {
	a.list.Unselect(i)
	if i >= len(a.alerts) {
		return
	}
	al := a.alerts[i]
	sh := a.h.sh
	switch {
	case al.PersonID != "":
		sh.show(navPeople)
		sh.people.openPerson(al.PersonID)
	case al.VolunteerID != "":
		sh.show(navVolunteers)
	}
}
