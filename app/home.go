package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/store"
	"rehabdesk/store/search"
)

// homeScreen (工作台) shows the township's figures and the day's tasks.
type homeScreen struct {
	sh       *shell
	ui       *UI
	today    *widget.Label
	figures  *fyne.Container
	tasks    *fyne.Container
	noVolBox *fyne.Container
}

func newHome(sh *shell) *homeScreen {
	h := &homeScreen{sh: sh, ui: sh.ui}
	h.today = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}}
	h.figures = container.NewGridWithColumns(4)
	h.tasks = container.NewVBox()
	h.noVolBox = container.NewVBox()
	return h
}

func (h *homeScreen) content() fyne.CanvasObject {
	body := container.NewVBox(h.today, h.figures, widget.NewSeparator(),
		&widget.Label{Text: T("home.tasks"), TextStyle: fyne.TextStyle{Bold: true}}, h.tasks,
		widget.NewSeparator(), h.noVolBox)
	return container.NewVScroll(body)
}

func (h *homeScreen) refresh() {
	h.today.SetText(T("home.today", formatTime(h.ui.st.Today())))
	h.figures.Objects = nil
	for _, f := range []struct {
		key string
		q   search.Query
	}{
		{"home.total", search.Query{}},
		{"home.active", search.Query{Status: "active"}},
		{"home.pending", search.Query{Status: "pending"}},
		{"home.high_risk", search.Query{Risk: "high"}},
	} {
		h.figures.Add(h.figure(f.key, f.q))
	}
	h.figures.Refresh()
	h.refreshTasks()
	h.refreshUnassigned()
}

// figure is a count that opens the people list filtered the same way.
func (h *homeScreen) figure(key string, q search.Query) fyne.CanvasObject {
	q.Limit = 1
	n := h.ui.st.Search(q).Total
	return &widget.Button{Text: T(key, n), Importance: widget.MediumImportance, OnTapped: func() {
		p := h.sh.people
		p.status.set(q.Status)
		p.risk.set(q.Risk)
		h.sh.show(navPeople)
	}}
}

// refreshUnassigned lists persons under an active measure who have no
// volunteer assigned: computed from the assignments themselves.
func (h *homeScreen) refreshUnassigned() {
	h.noVolBox.Objects = nil
	missing, err := unassignedPersons(h.ui)
	if err != nil {
		h.ui.showError(err)
		return
	}
	h.noVolBox.Add(&widget.Label{Text: T("home.no_volunteer", len(missing)), TextStyle: fyne.TextStyle{Bold: true}})
	for i, e := range missing {
		if i == 20 {
			h.noVolBox.Add(&widget.Label{Text: T("home.more", len(missing)-20)})
			break
		}
		id := e.ID
		h.noVolBox.Add(&widget.Button{Text: e.Name + "　" + divisionName(e.Village), Icon: theme.AccountIcon(),
			Alignment: widget.ButtonAlignLeading, Importance: widget.LowImportance,
			OnTapped: func() { h.sh.show(navPeople); h.sh.people.openPerson(id) }})
	}
	h.noVolBox.Refresh()
}

// unassignedPersons are persons in an active or pending measure without a
// current volunteer assignment.
func unassignedPersons(u *UI) ([]search.Entry, error) {
	as, err := u.st.List(u.ctx, store.KindAssignment, store.ListFilter{})
	if err != nil {
		return nil, err
	}
	today := u.st.Today().Format("2006-01-02")
	has := map[string]bool{}
	for _, a := range as {
		if a.Get("role") == "volunteer" && (a.Get("end_date") == "" || a.Get("end_date") >= today) {
			has[a.PersonID] = true
		}
	}
	var out []search.Entry
	for _, st := range []string{"active", "pending"} {
		for _, e := range u.st.Search(search.Query{Status: st}).Entries {
			if !has[e.ID] {
				out = append(out, e)
			}
		}
	}
	return out, nil
}
