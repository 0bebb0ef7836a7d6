package app

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/store"
	"rehabdesk/store/rules"
)

// alertList is the day's tasks: the alerts of the rules engine grouped by
// kind and urgency with their counts; a group opens its alerts, most urgent
// first, filtered by village and 专干, each opening the person (or the
// volunteer roster).
type alertList struct {
	h         *homeScreen
	all       []rules.Alert
	alerts    []rules.Alert     // the open group's alerts that pass the filters
	names     map[string]string // volunteer and staff id -> name
	groups    []alertGroup
	open      int        // index of the open group, -1 for the overview
	openKey   alertGroup // rule and urgency of the open group, kept across refreshes
	list      *widget.List
	groupList *widget.List
	filter    *groupFilter
	title     *widget.Label
	bar       fyne.CanvasObject
	summary   *widget.Label
	gen       int // refresh generation, so a slow old result is dropped
}

func newAlertList(h *homeScreen) *alertList {
	a := &alertList{h: h, open: -1, summary: &widget.Label{Wrapping: fyne.TextWrapWord}, title: &widget.Label{TextStyle: fyne.TextStyle{Bold: true}}}
	a.list = &widget.List{
		Length:     func() int { return len(a.alerts) },
		CreateItem: newAlertRow,
		UpdateItem: a.updateItem,
		OnSelected: a.onSelected,
	}
	a.list.ExtendBaseWidget(a.list)
	a.groupList = &widget.List{
		Length:     func() int { return len(a.groups) },
		CreateItem: newGroupRow,
		UpdateItem: func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(a.groups) {
				setGroupRow(o, a.groups[i])
			}
		},
		OnSelected: a.openGroup,
	}
	a.groupList.ExtendBaseWidget(a.groupList)
	a.filter = newGroupFilter(a.applyFilter)
	a.bar = groupBar(a.closeGroup, a.title, a.filter)
	a.bar.Hide()
	a.list.Hide()
	return a
}

// openGroup shows one group's alerts with filters for its villages and staff.
func (a *alertList) openGroup(i widget.ListItemID) {
	a.groupList.Unselect(i)
	if i >= len(a.groups) {
		return
	}
	a.open = i
	g := &a.groups[i]
	a.openKey = alertGroup{rule: g.rule, sev: g.sev}
	a.title.SetText(T("home.group_title", g.alerts[0].Title(currentLang), len(g.alerts)))
	a.filter.reset(g, a.villageOf, a.staffOf, func(id string) string { return a.names[id] })
	a.applyFilter()
	a.groupList.Hide()
	a.bar.Show()
	a.list.Show()
}

func (a *alertList) closeGroup() {
	a.open = -1
	a.bar.Hide()
	a.list.Hide()
	a.groupList.Show()
}

// applyFilter lists the open group's alerts that pass the filters.
func (a *alertList) applyFilter() {
	if a.open < 0 || a.open >= len(a.groups) {
		return
	}
	a.alerts = a.alerts[:0:0]
	for _, al := range a.groups[a.open].alerts {
		if al.PersonID == "" || a.filter.keep(a.villageOf(al.PersonID), a.staffOf(al.PersonID)) {
			a.alerts = append(a.alerts, al)
		}
	}
	a.list.UnselectAll()
	a.list.Refresh()
}

// villageOf and staffOf read a person as the rules last loaded them.
func (a *alertList) villageOf(id string) string {
	if p := a.livePerson(id); p != nil {
		return p.Village
	}
	return ""
}

// staffOf is the person's 专干: their own link, else a current assignment.
func (a *alertList) staffOf(id string) string {
	p := a.livePerson(id)
	if p == nil {
		return ""
	}
	if p.StaffField != "" {
		return p.StaffField
	}
	for _, as := range p.Assignments {
		if as.Role == "staff" && as.End == 0 {
			return as.Member
		}
	}
	return ""
}

func (a *alertList) livePerson(id string) *rules.Person {
	if a.h.sh.live == nil {
		return nil
	}
	return a.h.sh.live.Person(id)
}

func newAlertRow() fyne.CanvasObject {
	sev := &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	title := &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	why := &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	return container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(150, 36), sev), nil, container.NewVBox(title, why))
}

func (a *alertList) content() fyne.CanvasObject {
	return container.NewBorder(container.NewVBox(a.summary, a.bar), nil, nil, nil, container.NewStack(a.groupList, a.list))
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
	roster, err := st.Roster(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, r := range roster {
		names[r.ID] = r.Get("name")
	}
	return live, live.Alerts(rules.Today(st)), names, nil
}

func (a *alertList) show(alerts []rules.Alert, names map[string]string, err error) {
	if err != nil {
		a.summary.SetText(errText(err))
		return
	}
	a.all, a.names, a.groups = alerts, names, groupAlerts(alerts)
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
	a.groupList.UnselectAll()
	a.groupList.Refresh()
	a.reopen()
}

// reopen keeps the group the officer had open across a refresh (after an
// edit), with its filters, or goes back to the overview if it is gone.
func (a *alertList) reopen() {
	if a.open < 0 {
		return
	}
	for i, g := range a.groups {
		if g.rule == a.openKey.rule && g.sev == a.openKey.sev {
			a.open = i
			a.applyFilter()
			return
		}
	}
	a.closeGroup()
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
	case al.Rule == rules.StaffRosterEmpty.ID || al.Rule == rules.StaffingShortfall.ID:
		sh.show(navStaff) // the roster both alerts are about
	}
}
