package app

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// batchRow is one person of a batch: name, village, due date and the
// result, which one key sets. It takes keyboard focus itself, so that the
// officer types a column of results without touching the mouse.
type batchRow struct {
	widget.BaseWidget
	b       *batchScreen
	i       int
	cells   []*widget.Label // number, name, village, due, result
	bg      *canvas.Rectangle
	value   string // the chosen code, "" for none
	focused bool
}

var (
	_ fyne.Focusable = (*batchRow)(nil)
	_ fyne.Tappable  = (*batchRow)(nil)
)

func newBatchRow(b *batchScreen, i int, texts ...string) *batchRow {
	r := &batchRow{b: b, i: i, bg: canvas.NewRectangle(theme.Color(theme.ColorNameBackground))}
	for _, t := range append(texts, "") {
		r.cells = append(r.cells, &widget.Label{Text: t, Truncation: fyne.TextTruncateEllipsis})
	}
	r.cells[len(r.cells)-1].TextStyle.Bold = true
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer lays the cells out in the batch's columns over a
// background that shows which row has the focus.
func (r *batchRow) CreateRenderer() fyne.WidgetRenderer {
	objs := make([]fyne.CanvasObject, len(r.cells))
	for i, c := range r.cells {
		objs[i] = c
	}
	return widget.NewSimpleRenderer(container.NewStack(r.bg, container.New(batchColumns{}, objs...)))
}

// set chooses a result (code "" clears it) and shows its label.
func (r *batchRow) set(code string) {
	r.value = code
	if r.i < len(r.b.shown) {
		r.b.typed[r.b.shown[r.i].Person.ID] = code
	}
	r.cells[len(r.cells)-1].SetText(r.b.label(code))
	r.b.updateSummary()
}

// TypedRune takes a result key and moves to the next row.
func (r *batchRow) TypedRune(c rune) {
	code, ok := r.b.keyCode(c)
	if !ok {
		return
	}
	r.set(code)
	r.b.focusRow(r.i + 1)
}

// TypedKey moves between rows with the arrows and clears with Delete.
func (r *batchRow) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyDown, fyne.KeyReturn, fyne.KeyEnter:
		r.b.focusRow(r.i + 1)
	case fyne.KeyUp:
		r.b.focusRow(r.i - 1)
	case fyne.KeyBackspace, fyne.KeyDelete:
		r.set("")
	}
}

// Tapped gives the row the focus, to start typing from it.
func (r *batchRow) Tapped(*fyne.PointEvent) { r.b.focusRow(r.i) }

// FocusGained highlights the row and scrolls it into view.
func (r *batchRow) FocusGained() {
	r.focused = true
	r.bg.FillColor = theme.Color(theme.ColorNameSelection)
	r.bg.Refresh()
	r.b.scrollTo(r)
}

// FocusLost drops the highlight.
func (r *batchRow) FocusLost() {
	r.focused = false
	r.bg.FillColor = theme.Color(theme.ColorNameBackground)
	r.bg.Refresh()
}

// batchColumns gives the batch's five columns fixed shares of the width,
// so that the header and every row line up.
type batchColumns struct{}

var batchShares = []float32{0.06, 0.18, 0.30, 0.22, 0.24}

func (batchColumns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(500, h)
}

func (batchColumns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	x := float32(0)
	for i, o := range objs {
		w := size.Width * batchShares[i%len(batchShares)]
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}

// rowNumber is the 1-based number shown at the start of a row.
func rowNumber(i int) string { return strconv.Itoa(i + 1) }
