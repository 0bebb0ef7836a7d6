// Package paper prints RehabDesk's papers as PDF: the person's file
// (一人一档), the standard documents of the casework (agreement, report-in
// notice, leave form, warning letter, release notice, visit record) and
// the sheets volunteers tick on a test day or a visit round.
//
// Every document is A4, set in the bundled Droid Sans Fallback font so that
// Chinese prints the same on any machine; the PDF embeds only the glyphs
// used (fpdf subsets UTF-8 fonts), not the whole 4 MB font. The package
// writes to an io.Writer and never to a file of its own choosing: where a
// paper with personal data goes is the caller's (the user's) choice.
//
// The papers of a file: Load reads it from the store, File.Papers lists
// what applies, Write prints one to a writer and Export to the file the
// user chose, with an audit entry.
//
// The sheet of a test day or visit round (issue 17) needs no store:
// WriteSheet(w, SheetHeader{...}, []SheetRow{...}) takes the header and one
// plain row per person as the batch screen lists them (see ExampleWriteSheet);
// SheetBoxes gives the boxes in their printed order.
//
// A character neither bundled font has (a rare character outside the BMP
// in a name) prints as 〓, to be written in by hand.
//
// It builds without cgo and never imports Fyne, like the rest of store.
package paper

import (
	"fmt"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// fontFamily is the name the bundled CJK font is registered under.
const fontFamily = "droid"

// Page geometry in millimetres (A4 portrait).
const (
	pageWidth   = 210.0
	marginLeft  = 18.0
	marginTop   = 16.0
	marginRight = 18.0
	bodyWidth   = pageWidth - marginLeft - marginRight
	lineHeight  = 7.0
)

// Font sizes in points.
const (
	sizeTitle = 18.0
	sizeHead  = 12.5
	sizeBody  = 11.0
	sizeSmall = 9.0
)

// newDoc starts an A4 document titled title, dated printed (the PDF's
// creation date, fixed so that the same paper prints the same bytes), with
// the CJK font loaded and a page-number footer.
func newDoc(title string, printed time.Time) *fpdf.Fpdf {
	if printed.IsZero() {
		printed = time.Now()
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(printed)
	pdf.SetModificationDate(printed)
	pdf.SetCatalogSort(true)
	pdf.SetTitle(title, true)
	pdf.SetCreator("RehabDesk", true)
	pdf.SetMargins(marginLeft, marginTop, marginRight)
	pdf.SetAutoPageBreak(true, 16)
	addFonts(pdf)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		// "n / total": the total is filled in at the end and must stay last,
		// or the gap left by the wider placeholder splits the line.
		// drawText, not cell: the footer lies below the page-break line.
		_, ph := pdf.GetPageSize()
		setSize(pdf, sizeSmall)
		drawText(pdf, marginLeft, ph-12, bodyWidth, 5, fmt.Sprintf("%d / {nb}", pdf.PageNo()), "C")
	})
	pdf.AddPage()
	return pdf
}

// title writes a centred document title and leaves a gap under it.
func title(pdf *fpdf.Fpdf, text string) {
	setSize(pdf, sizeTitle)
	cell(pdf, 0, 12, text, "", 1, "C", false)
	pdf.Ln(3)
	setSize(pdf, sizeBody)
}

// heading writes a section heading with a rule under it, on a new page
// when fewer than three lines of its section would fit under it.
func heading(pdf *fpdf.Fpdf, text string) {
	if breaks(pdf, 10+4*tableRowHeight) {
		pdf.AddPage()
	}
	pdf.Ln(2)
	setSize(pdf, sizeHead)
	cell(pdf, 0, 8, text, "B", 1, "L", false)
	pdf.Ln(1)
	setSize(pdf, sizeBody)
}

// para writes a paragraph wrapped to the body width, indented by two
// characters as Chinese official papers are.
func para(pdf *fpdf.Fpdf, text string) {
	multi(pdf, 0, lineHeight, "\u3000\u3000"+text)
}

// line writes one unindented line of text.
func line(pdf *fpdf.Fpdf, text string) {
	multi(pdf, 0, lineHeight, text)
}

// signatures writes a row of signature blanks, "label：________", spread
// across the body width, then the date blank under the last one.
func signatures(pdf *fpdf.Fpdf, labels ...string) {
	pdf.Ln(6)
	w := bodyWidth / float64(len(labels))
	for i, l := range labels {
		cell(pdf, w, 10, l+"：", "", 0, "L", false)
		y := pdf.GetY() + 8
		x := marginLeft + float64(i)*w + textWidth(pdf, l+"：") + 1
		pdf.Line(x, y, marginLeft+float64(i+1)*w-4, y)
	}
	pdf.Ln(12)
}

// issuer writes the issuing body and date at the right, as a seal block.
func issuer(pdf *fpdf.Fpdf, body, date string) {
	pdf.Ln(8)
	cell(pdf, 0, lineHeight, body+"（盖章）", "", 1, "R", false)
	cell(pdf, 0, lineHeight, date, "", 1, "R", false)
}

// cnDate writes a stored date ("2006-01-02") the Chinese way; an empty or
// unreadable date becomes a blank to fill in by hand.
func cnDate(s string) string {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return "　　　　年　　月　　日"
	}
	return cnTime(d)
}

// chinaTime is the townships' time zone: a paper printed at 07:00 in
// Guizhou on a computer set to UTC is dated that day, not the day before.
var chinaTime = time.FixedZone("CST", 8*3600)

// cnTime writes a day the Chinese way, "2026年12月7日", in China time.
// Stored dates parse as midnight UTC and keep their day.
func cnTime(d time.Time) string {
	d = d.In(chinaTime)
	return fmt.Sprintf("%d年%d月%d日", d.Year(), int(d.Month()), d.Day())
}

// blank returns s, or a run of spaces to write on by hand when s is empty.
func blank(s string) string {
	if strings.TrimSpace(s) == "" {
		return "　　　　　　"
	}
	return s
}
