package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/store/search"
)

// homeScreen (工作台) shows the township's figures and the day's tasks.
type homeScreen struct {
	sh      *shell
	ui      *UI
	today   *widget.Label
	figures *fyne.Container
	moved   *widget.Label // persons transferred away lately (home_transfers.go)
	tasks   *alertList
}

func newHome(sh *shell) *homeScreen {
	h := &homeScreen{sh: sh, ui: sh.ui}
	h.today = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}}
	h.figures = container.NewGridWithColumns(4)
	h.moved = newMovedNote()
	h.tasks = newAlertList(h)
	return h
}

func (h *homeScreen) content() fyne.CanvasObject {
	top := container.NewVBox(h.today, h.figures, h.moved, widget.NewSeparator(),
		&widget.Label{Text: T("home.tasks"), TextStyle: fyne.TextStyle{Bold: true}})
	return container.NewBorder(top, nil, nil, nil, h.tasks.content())
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
	h.refreshMoved()
	h.tasks.refresh()
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
