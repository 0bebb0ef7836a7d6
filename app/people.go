package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/assets"
	"rehabdesk/store"
	"rehabdesk/store/search"
	"rehabdesk/store/valid"
)

// peopleColumn is one column of the people table.
type peopleColumn struct {
	key   string         // translation key of the header
	sort  search.SortKey // -1: not sortable
	width float32
	text  func(p *peopleScreen, e *search.Entry) string
}

const colIDNumber = 1

var peopleColumns = []peopleColumn{
	{"field.name", search.SortName, 130, func(_ *peopleScreen, e *search.Entry) string { return e.Name }},
	{"people.col_id", search.SortIDNumber, 210, (*peopleScreen).idText},
	{"field.village", search.SortVillage, 200, func(_ *peopleScreen, e *search.Entry) string { return assets.Name(e.Village) }},
	{"field.type", -1, 110, func(_ *peopleScreen, e *search.Entry) string { return enumLabel("measure_type", e.MeasureType) }},
	{"field.status", search.SortStatus, 100, func(_ *peopleScreen, e *search.Entry) string { return enumLabel("measure_status", e.Status) }},
	{"field.risk", search.SortRisk, 100, func(_ *peopleScreen, e *search.Entry) string { return enumLabel("risk", e.Risk) }},
	{"field.planned_end", search.SortEndDate, 150, func(_ *peopleScreen, e *search.Entry) string { return formatDate(e.EndDate) }},
}

// peopleScreen is the list of persons with search-as-you-type, filters
// and sortable columns; opening a row shows the person file in its place.
type peopleScreen struct {
	sh    *shell
	ui    *UI
	stack *fyne.Container

	search   *widget.Entry
	village  *choiceInput
	status   *choiceInput
	measure  *choiceInput
	risk     *choiceInput
	alerts   *widget.Check
	count    *widget.Label
	empty    *widget.Label
	table    *widget.Table
	listView fyne.CanvasObject
	file     *personFile

	rows     *pageCache
	shown    bool // the People page is the one on screen
	sortKey  search.SortKey
	desc     bool
	revealed map[string]string // person -> full ID number the officer chose to see
}

func newPeople(sh *shell) *peopleScreen {
	p := &peopleScreen{sh: sh, ui: sh.ui, revealed: map[string]string{}}
	p.rows = &pageCache{st: sh.ui.st}
	p.search = &widget.Entry{PlaceHolder: T("people.search_hint"), OnChanged: func(string) { p.apply() }}
	p.village = villageInput(sh.ui.st.Township(), false)
	p.status = newEnumInput("measure_status", false)
	p.measure = newEnumInput("measure_type", false)
	p.risk = newEnumInput("risk", false)
	for _, c := range []*choiceInput{p.village, p.status, p.measure, p.risk} {
		c.labels[0] = T("people.all")
		c.s.Options = c.labels
		c.s.PlaceHolder = T("people.all")
		c.onChanged(p.apply)
	}
	p.alerts = &widget.Check{Text: T("people.only_alerts"), OnChanged: func(bool) { p.apply() }}
	p.count = &widget.Label{}
	p.empty = &widget.Label{Text: T("people.empty"), Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}
	p.table = p.makeTable()
	return p
}

func (p *peopleScreen) makeTable() *widget.Table {
	t := &widget.Table{
		Length:     p.length,
		CreateCell: func() fyne.CanvasObject { return &widget.Label{Truncation: fyne.TextTruncateEllipsis} },
		UpdateCell: p.updateCell,
		OnSelected: p.onSelected,
		CreateHeader: func() fyne.CanvasObject {
			return &widget.Button{Alignment: widget.ButtonAlignLeading, Importance: widget.LowImportance}
		},
		UpdateHeader: p.updateHeader,
	}
	t.ShowHeaderRow = true
	t.ExtendBaseWidget(t)
	for i, c := range peopleColumns {
		t.SetColumnWidth(i, c.width)
	}
	return t
}

// length is the table's size. While the page is not on screen it is
// empty: Fyne lays out hidden tabs at zero height, and a table of that
// height places a divider for every one of 100,000 rows.
func (p *peopleScreen) length() (int, int) {
	if !p.shown {
		return 0, len(peopleColumns)
	}
	return p.rows.total, len(peopleColumns)
}

// setShown tells the page whether it is the one on screen.
func (p *peopleScreen) setShown(on bool) {
	if p.shown == on {
		return
	}
	p.shown = on
	p.table.Refresh()
}

func (p *peopleScreen) content() fyne.CanvasObject {
	add := &widget.Button{Text: T("people.add"), Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: p.onAdd}
	filters := container.NewBorder(nil, nil, nil, p.alerts, container.NewGridWithColumns(4,
		labeled(T("field.village"), p.village.s), labeled(T("field.status"), p.status.s),
		labeled(T("field.type"), p.measure.s), labeled(T("field.risk"), p.risk.s)))
	top := container.NewVBox(container.NewBorder(nil, nil, nil, add, p.search), filters, p.count)
	p.listView = container.NewBorder(top, nil, nil, nil, container.NewStack(p.table, belowHeader(p.table, p.empty)))
	p.stack = container.NewStack(p.listView)
	p.apply()
	return p.stack
}

// labeled puts a small caption before a filter.
func labeled(text string, o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewBorder(nil, nil, &widget.Label{Text: text}, nil, o)
}

func (p *peopleScreen) refresh() {
	if p.file != nil {
		p.file.refresh()
		return
	}
	p.apply()
}

// query is the search the filters describe. "Has alerts" uses the
// persons of Home's last evaluation, kept in memory by the shell.
func (p *peopleScreen) query() search.Query {
	q := search.Query{Text: p.search.Text, Village: p.village.value(), Status: p.status.value(),
		MeasureType: p.measure.value(), Risk: p.risk.value(), Sort: p.sortKey, Desc: p.desc}
	if p.alerts.Checked {
		alerted := p.sh.alerted
		q.Allowed = func(id string) bool { return alerted[id] }
	}
	return q
}

// apply runs the search in memory (no SQL) and redraws the table.
func (p *peopleScreen) apply() {
	p.ui.idle.Touch()
	p.rows.reset(p.query())
	p.count.SetText(T("people.count", p.rows.total))
	if p.alerts.Checked && p.sh.alerted == nil {
		p.count.SetText(T("people.alerts_pending"))
	}
	if p.rows.total == 0 && p.query().Text == "" && !p.alerts.Checked && p.village.value()+p.status.value()+p.measure.value()+p.risk.value() == "" {
		p.empty.Show()
	} else {
		p.empty.Hide()
	}
	if p.shown {
		p.table.Refresh()
		p.table.ScrollToTop()
	}
}

func (p *peopleScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	e, ok := p.rows.get(id.Row)
	if !ok {
		l.SetText("")
		return
	}
	l.SetText(peopleColumns[id.Col].text(p, &e))
}

// idText masks the ID number unless the officer revealed this row.
func (p *peopleScreen) idText(e *search.Entry) string {
	if n, ok := p.revealed[e.ID]; ok {
		return n
	}
	return valid.MaskID(e.IDNumber)
}

func (p *peopleScreen) updateHeader(id widget.TableCellID, o fyne.CanvasObject) {
	b := o.(*widget.Button)
	if id.Col < 0 {
		return
	}
	c := peopleColumns[id.Col]
	b.Text = T(c.key)
	b.Icon = nil
	if c.sort >= 0 && c.sort == p.sortKey {
		b.Icon = theme.MenuDropDownIcon()
		if p.desc {
			b.Icon = theme.MenuDropUpIcon()
		}
	}
	b.OnTapped = func() { p.sortBy(c.sort) }
	b.Refresh()
}

// sortBy sorts by a column; a second tap reverses the order.
func (p *peopleScreen) sortBy(k search.SortKey) {
	if k < 0 {
		return
	}
	p.desc = k == p.sortKey && !p.desc
	p.sortKey = k
	p.apply()
}

// onSelected opens the person, except on the ID column where a tap shows
// or hides the full number of that row only.
func (p *peopleScreen) onSelected(id widget.TableCellID) {
	p.table.Unselect(id)
	e, ok := p.rows.get(id.Row)
	if !ok {
		return
	}
	if id.Col == colIDNumber {
		p.toggleReveal(e.ID)
		p.table.RefreshItem(id)
		return
	}
	p.openPerson(e.ID)
}

// toggleReveal shows or hides one row's full ID number. Showing it goes
// through the store, which records the reveal in the audit log.
func (p *peopleScreen) toggleReveal(id string) {
	if _, ok := p.revealed[id]; ok {
		delete(p.revealed, id)
		return
	}
	n, err := p.ui.st.RevealID(p.ui.ctx, id)
	if err != nil {
		p.ui.showError(err)
		return
	}
	p.revealed[id] = n
}

// openPerson shows a person file in place of the list.
func (p *peopleScreen) openPerson(id string) {
	p.ui.idle.Touch()
	p.file = newPersonFile(p, id)
	p.stack.Objects = []fyne.CanvasObject{p.file.content()}
	p.stack.Refresh()
}

// closePerson returns to the list, keeping the search and filters.
func (p *peopleScreen) closePerson() {
	if p.file != nil {
		p.file.close()
	}
	p.file = nil
	p.stack.Objects = []fyne.CanvasObject{p.listView}
	p.stack.Refresh()
	p.apply()
}

func (p *peopleScreen) onAdd() {
	f := newRecordForm(p.ui, store.KindPerson, nil, nil)
	p.ui.showFormDialog(T("people.add"), f, func(id string) {
		p.sh.personAlerts(id) // the loaded township data gains the person
		p.apply()
		p.openPerson(id)
	})
}

// pageCache holds pages of one search so that UpdateCell reads memory only.
type pageCache struct {
	st    *store.Store
	q     search.Query
	total int
	pages map[int][]search.Entry
}

const pageSize = 200

func (c *pageCache) reset(q search.Query) {
	c.q, c.pages = q, map[int][]search.Entry{}
	c.total = 0
	c.fetch(0)
}

func (c *pageCache) fetch(page int) []search.Entry {
	q := c.q
	q.Offset, q.Limit = page*pageSize, pageSize
	res := c.st.Search(q)
	c.total = res.Total
	if len(c.pages) > 64 { // bounded memory when scrolling 100,000 rows
		c.pages = map[int][]search.Entry{}
	}
	c.pages[page] = res.Entries
	return res.Entries
}

func (c *pageCache) get(row int) (search.Entry, bool) {
	page, ok := c.pages[row/pageSize]
	if !ok {
		page = c.fetch(row / pageSize)
	}
	i := row % pageSize
	if i >= len(page) {
		return search.Entry{}, false
	}
	return page[i], true
}
