package paper

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// SheetKind says what a paper sheet records.
type SheetKind int

// The sheets a township prints for a day's work.
const (
	// TestSheet is a test day: one box per result, 阴/阳/拒/未到.
	TestSheet SheetKind = iota
	// VisitSheet is a visit round: one box per outcome, how the person was
	// seen or that they were not found.
	VisitSheet
)

// SheetHeader is what a sheet says above and under its list.
type SheetHeader struct {
	Kind     SheetKind
	Township string    // the township's name, printed in the title
	Village  string    // the village (or the 专干, or "本月应检") the list was chosen by
	Date     time.Time // the test day or the visit round's date; zero leaves a blank
	// Printed is the PDF's creation date and the "打印" date on the sheet;
	// zero means now. Tests fix it so that the same sheet prints the same.
	Printed time.Time
}

// SheetRow is one person on a sheet: a line with their name and boxes.
type SheetRow struct {
	Name string
	// Detail is a short second column (the measure, the grid, the last
	// test). Sheets go to volunteers: never put a full ID number here.
	Detail string
}

// SheetBoxes returns the labels of the boxes a sheet's lines have, in the
// printed order: for a test sheet 阴, 阳, 拒, 未到 (negative, positive,
// refused, absent); for a visit sheet 入户, 约谈, 电话, 视频 (the visit
// modes) and 未见到 (not found). A batch screen that reads a filled sheet
// back can offer its keys in the same order.
func SheetBoxes(k SheetKind) []string {
	if k == VisitSheet {
		return []string{"入户", "约谈", "电话", "视频", "未见到"}
	}
	return []string{"阴", "阳", "拒", "未到"}
}

// Sheet layout, in millimetres.
const (
	sheetRowHeight = 10.0
	sheetNoWidth   = 10.0
	sheetNameWidth = 36.0
	sheetBoxSize   = 4.0
	// sheetBottom is the lowest a row may end on a page, leaving room for
	// the signature lines under the list and the page number.
	sheetBottom = 297.0 - 16 - 26
)

// WriteSheet writes a paper sheet for a test day or a visit round to w: a
// title with the township, the village and the date, then one line per row
// (number, name, detail, a box to tick per outcome of SheetBoxes, a blank
// for notes) and, on every page, the volunteer's and the officer's
// signature lines, so that a page that comes loose is still signed.
// Rows are printed in the order given.
func WriteSheet(w io.Writer, h SheetHeader, rows []SheetRow) error {
	pdf, err := drawSheet(context.Background(), h, rows, func(int, int) {})
	if err == nil {
		err = safely(func() error { return pdf.Output(w) })
	}
	if err != nil {
		return fmt.Errorf("write sheet: %w", err)
	}
	return nil
}

func sheetTitle(k SheetKind) string {
	if k == VisitSheet {
		return "社区戒毒（康复）人员走访登记表"
	}
	return "社区戒毒（康复）人员检测登记表"
}

// sheet is a sheet being drawn.
type sheet struct {
	pdf      *fpdf.Fpdf
	h        SheetHeader
	boxes    []string
	boxWidth float64 // width of the column of boxes
}

// boxesWidth is the width the boxes and their labels need.
func (s *sheet) boxesWidth() float64 {
	setSize(s.pdf, sizeBody)
	w := 2.0
	for _, b := range s.boxes {
		w += sheetBoxSize + 1 + textWidth(s.pdf, b) + 2.5
	}
	return w
}

// detailWidth and noteWidth share what the name and boxes leave.
func (s *sheet) detailWidth() float64 {
	return (bodyWidth - sheetNoWidth - sheetNameWidth - s.boxWidth) * 0.55
}
func (s *sheet) noteWidth() float64 {
	return bodyWidth - sheetNoWidth - sheetNameWidth - s.boxWidth - s.detailWidth()
}

// top writes the title, the header line and the column heads of a page.
func (s *sheet) top() {
	pdf := s.pdf
	title(pdf, s.h.Township+sheetTitle(s.h.Kind))
	day := "　　　　年　　月　　日"
	if !s.h.Date.IsZero() {
		day = cnTime(s.h.Date)
	}
	what := "检测日期"
	if s.h.Kind == VisitSheet {
		what = "走访日期"
	}
	cell(pdf, bodyWidth/2, lineHeight, "村（社区）："+blank(s.h.Village), "", 0, "L", false)
	cell(pdf, bodyWidth/2, lineHeight, what+"："+day, "", 1, "R", false)
	setSize(pdf, sizeSmall)
	cell(pdf, 0, 6, "在相应方框内打“√”；未到或未见到的，在备注栏写明原因。", "", 1, "L", false)
	setSize(pdf, sizeBody)
	pdf.SetFillColor(235, 235, 235)
	heads := []string{"序号", "姓名", "说明", "结果", "备注（原因）"}
	if s.h.Kind == VisitSheet {
		heads[3], heads[4] = "走访情况", "备注"
	}
	widths := []float64{sheetNoWidth, sheetNameWidth, s.detailWidth(), s.boxWidth, s.noteWidth()}
	for i, t := range heads {
		cell(pdf, widths[i], 8, t, "1", 0, "C", true)
	}
	pdf.Ln(-1)
}

// nextRow writes row n, first closing the page with its signature lines
// and starting a new one when the row would not fit.
func (s *sheet) nextRow(n int, r SheetRow) {
	if s.pdf.GetY()+sheetRowHeight > sheetBottom {
		s.sign()
		s.pdf.AddPage()
		s.top()
	}
	s.row(n, r)
}

// row writes one person's line: number, name, detail, boxes and a blank.
func (s *sheet) row(n int, r SheetRow) {
	pdf := s.pdf
	cell(pdf, sheetNoWidth, sheetRowHeight, strconv.Itoa(n), "1", 0, "C", false)
	cell(pdf, sheetNameWidth, sheetRowHeight, fit(pdf, r.Name, sheetNameWidth-2), "1", 0, "L", false)
	setSize(pdf, sizeSmall)
	cell(pdf, s.detailWidth(), sheetRowHeight, fit(pdf, r.Detail, s.detailWidth()-2), "1", 0, "L", false)
	setSize(pdf, sizeBody)
	x, y := pdf.GetX(), pdf.GetY()
	cell(pdf, s.boxWidth, sheetRowHeight, "", "1", 0, "L", false)
	s.drawBoxes(x+2, y)
	cell(pdf, s.noteWidth(), sheetRowHeight, "", "1", 1, "L", false)
}

// drawBoxes draws each outcome's empty box and its label from x.
func (s *sheet) drawBoxes(x, y float64) {
	pdf := s.pdf
	top := y + (sheetRowHeight-sheetBoxSize)/2
	for _, b := range s.boxes {
		pdf.Rect(x, top, sheetBoxSize, sheetBoxSize, "D")
		x += sheetBoxSize + 1
		drawText(pdf, x-pdf.GetCellMargin(), y, 20, sheetRowHeight, b, "L")
		x += textWidth(pdf, b) + 2.5
	}
}

// sign writes the signature lines under a page's list.
func (s *sheet) sign() {
	who := "检测人员（签名）"
	if s.h.Kind == VisitSheet {
		who = "走访人员（签名）"
	}
	signatures(s.pdf, "志愿者（签名）", who, "日期")
}

// fit cuts text to width w (in the current font), marking a cut with "…",
// so that a long name or detail never spills into the next cell.
func fit(pdf *fpdf.Fpdf, text string, w float64) string {
	if textWidth(pdf, text) <= w {
		return text
	}
	r := []rune(text)
	for len(r) > 0 && textWidth(pdf, string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
