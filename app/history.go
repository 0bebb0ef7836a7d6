package app

import (
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/store"
)

// historyTab lists every change of a person's file: when, who, on which
// device, which record and which fields. Values are not repeated here;
// the file shows the current ones.
type historyTab struct {
	ui      *UI
	person  string
	changes []*store.Change
	table   *widget.Table
}

var historyColumns = []struct {
	key   string
	width float32
}{{"history.when", 170}, {"history.who", 110}, {"history.device", 110}, {"history.record", 110}, {"history.fields", 520}}

func newHistoryTab(u *UI, person string) *historyTab {
	h := &historyTab{ui: u, person: person}
	h.table = &widget.Table{
		Length:       func() (int, int) { return len(h.changes), len(historyColumns) },
		CreateCell:   func() fyne.CanvasObject { return &widget.Label{Truncation: fyne.TextTruncateEllipsis} },
		UpdateCell:   h.updateCell,
		CreateHeader: func() fyne.CanvasObject { return &widget.Label{TextStyle: fyne.TextStyle{Bold: true}} },
		UpdateHeader: func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Col >= 0 {
				o.(*widget.Label).SetText(T(historyColumns[id.Col].key))
			}
		},
	}
	h.table.ShowHeaderRow = true
	h.table.ExtendBaseWidget(h.table)
	for i, c := range historyColumns {
		h.table.SetColumnWidth(i, c.width)
	}
	return h
}

func (h *historyTab) content() fyne.CanvasObject {
	return container.NewStack(h.table)
}

func (h *historyTab) refresh() {
	cs, err := h.ui.st.History(h.ui.ctx, h.person)
	if err != nil {
		h.ui.showError(err)
		return
	}
	// Newest first.
	for i, j := 0, len(cs)-1; i < j; i, j = i+1, j-1 {
		cs[i], cs[j] = cs[j], cs[i]
	}
	h.changes = cs
	h.table.Refresh()
}

func (h *historyTab) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	if id.Row >= len(h.changes) {
		return
	}
	c := h.changes[id.Row]
	var text string
	switch id.Col {
	case 0:
		text = formatDateTime(c.HLC.Time().In(chinaTime))
	case 1:
		text = c.User
	case 2:
		text = shortDevice(h.ui.st, c.Device)
	case 3:
		text = T("kind." + string(c.Kind))
	case 4:
		text = changedFields(c)
	}
	o.(*widget.Label).SetText(text)
}

// shortDevice names this device, or shows the start of another's id.
func shortDevice(st *store.Store, device string) string {
	if device == st.Device() {
		return T("history.this_device")
	}
	return device[:min(8, len(device))]
}

// changedFields lists the translated names of the fields a change set.
func changedFields(c *store.Change) string {
	var names []string
	for f := range c.Fields {
		switch f {
		case store.FieldArchived:
			if c.Fields[f] == "1" {
				names = append(names, T("history.archived"))
			} else {
				names = append(names, T("history.restored"))
			}
		default:
			names = append(names, fieldName(f))
		}
	}
	sort.Strings(names)
	sep := "、"
	if currentLang == LangEN {
		sep = ", "
	}
	return strings.Join(names, sep)
}
