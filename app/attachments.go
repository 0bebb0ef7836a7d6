package app

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rehabdesk/store"
)

// filesTab (附件) lists the scans and photos of a person's file, of the
// file itself and of its events, with attach and open. It is built for
// officers only; the store refuses attachments to anyone else too.
type filesTab struct {
	ui     *UI
	person string
	recs   []*store.Record
	events map[string]string // event record id -> its title
	table  *widget.Table
	empty  *widget.Label
	sel    int
	add    *widget.Button
	view   *widget.Button
	last   *dutyDialog // the attach dialog opened last, for tests
	shown  *attachmentView

	onChange func()
}

// filesColumns are the table's columns, named by translation key.
var filesColumns = []string{"field.filename", "field.kind", "files.belongs", "files.size", "files.added"}

func newFilesTab(u *UI, person string) *filesTab {
	t := &filesTab{ui: u, person: person, sel: -1}
	t.empty = &widget.Label{Text: T("files.empty"), Alignment: fyne.TextAlignCenter, Importance: widget.LowImportance}
	t.table = &widget.Table{
		Length:       func() (int, int) { return len(t.recs), len(filesColumns) },
		CreateCell:   func() fyne.CanvasObject { return &widget.Label{Truncation: fyne.TextTruncateEllipsis} },
		UpdateCell:   t.updateCell,
		OnSelected:   func(id widget.TableCellID) { t.choose(id.Row) },
		OnUnselected: func(widget.TableCellID) { t.choose(-1) },
		CreateHeader: func() fyne.CanvasObject { return &widget.Label{TextStyle: fyne.TextStyle{Bold: true}} },
		UpdateHeader: func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Col >= 0 && id.Col < len(filesColumns) {
				o.(*widget.Label).SetText(T(filesColumns[id.Col]))
			}
		},
	}
	t.table.ShowHeaderRow = true
	t.table.ExtendBaseWidget(t.table)
	for i, w := range []float32{260, 110, 220, 90, 110} {
		t.table.SetColumnWidth(i, w)
	}
	return t
}

func (t *filesTab) content() fyne.CanvasObject {
	t.add = &widget.Button{Text: T("files.add"), Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: t.pick}
	t.view = &widget.Button{Text: T("files.open"), Icon: theme.VisibilityIcon(), OnTapped: t.openSelected}
	hint := &widget.Label{Text: T("files.hint", store.MaxAttachment>>20), Importance: widget.LowImportance, Wrapping: fyne.TextWrapWord}
	t.refresh()
	bar := container.NewBorder(nil, nil, container.NewHBox(t.add, t.view), nil, hint)
	return container.NewBorder(bar, nil, nil, nil, container.NewStack(t.table, container.NewVBox(t.empty)))
}

func (t *filesTab) refresh() {
	recs, err := t.ui.st.Attachments(t.ui.ctx, t.person)
	if err != nil {
		t.ui.showError(err)
		return
	}
	for i, j := 0, len(recs)-1; i < j; i, j = i+1, j-1 {
		recs[i], recs[j] = recs[j], recs[i] // newest first
	}
	t.recs = recs
	t.events = t.eventTitles()
	showIf(t.empty, len(recs) == 0)
	t.table.UnselectAll()
	t.choose(-1)
	t.table.Refresh()
}

func (t *filesTab) choose(row int) {
	t.sel = row
	if t.view != nil {
		if row < 0 {
			t.view.Disable()
		} else {
			t.view.Enable()
		}
	}
}

func (t *filesTab) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	if id.Row >= len(t.recs) {
		return
	}
	r := t.recs[id.Row]
	var v string
	switch id.Col {
	case 0:
		v = r.Get("filename")
	case 1:
		v = enumLabel("attachment", r.Get("kind"))
	case 2:
		v = t.belongsTo(r.Get("event"))
	case 3:
		n, _ := strconv.Atoi(r.Get("size"))
		v = T("files.kb", (n+1023)/1024)
	case 4:
		v = formatTime(r.Created.In(chinaTime))
	}
	o.(*widget.Label).SetText(v)
}

// belongsTo names the record an attachment belongs to.
func (t *filesTab) belongsTo(event string) string {
	if event == "" {
		return T("files.whole_file")
	}
	if s, ok := t.events[event]; ok {
		return s
	}
	return T("files.gone_event")
}

// eventKinds are the events a scan may belong to; the store and the
// county server check the same list.
var eventKinds = store.EventKinds

// eventTitles names each event of the file: its kind and date.
func (t *filesTab) eventTitles() map[string]string {
	out := map[string]string{}
	for _, k := range eventKinds {
		recs, err := t.ui.st.List(t.ui.ctx, k, store.ListFilter{PersonID: t.person})
		if err != nil {
			continue
		}
		for _, r := range recs {
			out[r.ID] = T("kind."+string(k)) + " " + formatDate(eventDate(r))
		}
	}
	return out
}

// eventDate is the date an event is known by.
func eventDate(r *store.Record) string {
	for _, f := range []string{"date", "signed_date", "depart_date", "start_date", "received_date", "decision_date"} {
		if v := r.Get(f); v != "" {
			return v
		}
	}
	return ""
}

// attachExts are the files offered by the picker; the store checks the
// content itself.
var attachExts = []string{".jpg", ".jpeg", ".png", ".pdf"}

func (t *filesTab) pick() { t.ui.pickOpenPath(attachExts, t.attachFile) }

// attachFile asks what the file is and which record it belongs to, then
// keeps it. A file over the limit is refused before it is read.
func (t *filesTab) attachFile(path string) {
	if fi, err := os.Stat(path); err != nil {
		t.ui.showError(err)
		return
	} else if fi.Size() > store.MaxAttachment {
		t.ui.showError(&store.TooLargeError{Size: int(min(fi.Size(), 1<<40)), Max: store.MaxAttachment})
		return
	}
	dd := newDutyDialog(t.ui)
	t.last = dd
	kinds := store.Enums["attachment"]
	kindNames := make([]string, len(kinds))
	for i, o := range kinds {
		kindNames[i] = enumLabel("attachment", o.Code)
	}
	kind := dd.choice("kind", fieldName("kind"), kindNames, -1)
	ids, names := t.eventChoices()
	event := dd.choice("event", T("files.belongs"), names, 0)
	dd.entry("notes", fieldName("notes"), "")
	dd.show(T("files.add_title"), T("files.add"), filepath.Base(path), func() error {
		if kind.SelectedIndex() < 0 || event.SelectedIndex() < 0 {
			return errNoChoice
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f := map[string]string{"kind": kinds[kind.SelectedIndex()].Code, "filename": filepath.Base(path), "notes": dd.value("notes")}
		_, err = t.ui.st.AddAttachment(t.ui.ctx, t.person, ids[event.SelectedIndex()], f, data)
		return err
	}, t.changed)
}

// eventChoices are the file itself, then each event, newest first.
func (t *filesTab) eventChoices() (ids, names []string) {
	ids, names = []string{""}, []string{T("files.whole_file")}
	for _, k := range eventKinds {
		recs, _ := t.ui.st.List(t.ui.ctx, k, store.ListFilter{PersonID: t.person})
		for i := len(recs) - 1; i >= 0; i-- {
			ids = append(ids, recs[i].ID)
			names = append(names, T("kind."+string(recs[i].Kind))+" "+formatDate(eventDate(recs[i])))
		}
	}
	return ids, names
}

func (t *filesTab) changed() {
	t.refresh()
	if t.onChange != nil {
		t.onChange()
	}
}

func (t *filesTab) openSelected() {
	if t.sel < 0 || t.sel >= len(t.recs) {
		return
	}
	t.open(t.recs[t.sel].ID)
}

// open shows an attachment: an image inside the app, a pdf in the
// system's viewer (attachment_view.go).
func (t *filesTab) open(id string) {
	r, data, err := t.ui.st.OpenAttachment(t.ui.ctx, id)
	if err != nil {
		t.ui.showError(err)
		return
	}
	if strings.HasPrefix(r.Get("mime"), "image/") {
		t.shown = showImage(t.ui, r, data)
		return
	}
	t.shown = showInViewer(t.ui, r, data)
}
