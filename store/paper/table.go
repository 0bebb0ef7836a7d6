package paper

import (
	"codeberg.org/go-pdf/fpdf"
)

// Table layout, in millimetres.
const (
	tableRowHeight = 7.0
	labelWidth     = 27.0
)

// table draws a ruled table: a shaded header row, then rows whose cells
// are cut to their width with "…". widths are shares of the body width.
// After a page break the header row is drawn again.
func table(pdf *fpdf.Fpdf, heads []string, shares []float64, rows [][]string) {
	widths := make([]float64, len(shares))
	total := 0.0
	for _, s := range shares {
		total += s
	}
	for i, s := range shares {
		widths[i] = bodyWidth * s / total
	}
	tableHead(pdf, heads, widths)
	setSize(pdf, sizeSmall)
	for _, r := range rows {
		if breaks(pdf, tableRowHeight) {
			pdf.AddPage()
			tableHead(pdf, heads, widths)
			setSize(pdf, sizeSmall)
		}
		for i, w := range widths {
			cell(pdf, w, tableRowHeight, fit(pdf, at(r, i), w-2), "1", 0, "L", false)
		}
		pdf.Ln(-1)
	}
	if len(rows) == 0 {
		cell(pdf, bodyWidth, tableRowHeight, "无记录", "1", 1, "C", false)
	}
	setSize(pdf, sizeBody)
}

func tableHead(pdf *fpdf.Fpdf, heads []string, widths []float64) {
	setSize(pdf, sizeSmall)
	pdf.SetFillColor(235, 235, 235)
	for i, h := range heads {
		cell(pdf, widths[i], tableRowHeight, h, "1", 0, "C", true)
	}
	pdf.Ln(-1)
}

// breaks reports whether a line of height h would run past the page.
func breaks(pdf *fpdf.Fpdf, h float64) bool {
	_, margin := pdf.GetAutoPageBreak()
	_, ph := pdf.GetPageSize()
	return pdf.GetY()+h > ph-margin
}

func at(r []string, i int) string {
	if i < len(r) {
		return r[i]
	}
	return ""
}

// pairs draws label/value pairs in a ruled grid, two pairs to a line; a
// value too long for half a line takes a whole line, wrapped over as many
// lines as it needs (an address is never cut on a form).
func pairs(pdf *fpdf.Fpdf, kv [][2]string) {
	setSize(pdf, sizeBody-1)
	defer setSize(pdf, sizeBody)
	half := bodyWidth / 2
	wide := func(p [2]string) bool { return textWidth(pdf, p[1]) > half-labelWidth-2*pdf.GetCellMargin() }
	pdf.SetFillColor(235, 235, 235)
	for i := 0; i < len(kv); i++ {
		if wide(kv[i]) || i+1 == len(kv) || wide(kv[i+1]) {
			widePair(pdf, kv[i])
			continue
		}
		if breaks(pdf, tableRowHeight) {
			pdf.AddPage()
		}
		for _, p := range kv[i : i+2] {
			cell(pdf, labelWidth, tableRowHeight, p[0], "1", 0, "C", true)
			cell(pdf, half-labelWidth, tableRowHeight, p[1], "1", 0, "L", false)
		}
		pdf.Ln(-1)
		i++
	}
}

// widePair draws one label/value pair across the body, the value wrapped.
func widePair(pdf *fpdf.Fpdf, p [2]string) {
	lines := wrap(pdf, p[1], bodyWidth-labelWidth-2*pdf.GetCellMargin())
	h := float64(len(lines)) * tableRowHeight
	if breaks(pdf, h) {
		pdf.AddPage()
	}
	x, y := pdf.GetXY()
	pdf.Rect(x, y, labelWidth, h, "FD")
	drawText(pdf, x, y, labelWidth, h, p[0], "C")
	pdf.Rect(x+labelWidth, y, bodyWidth-labelWidth, h, "D")
	for i, l := range lines {
		drawText(pdf, x+labelWidth, y+float64(i)*tableRowHeight, bodyWidth-labelWidth, tableRowHeight, l, "L")
	}
	pdf.SetXY(x, y+h)
}

// box draws a labelled ruled box of at least minHeight holding wrapped text,
// for the free-text parts of a form (reasons, what a visit found). Text
// longer than the page goes on in a box on the next page, labelled 续.
func box(pdf *fpdf.Fpdf, label, text string, minHeight float64) {
	lines := wrap(pdf, text, bodyWidth-labelWidth-2*pdf.GetCellMargin())
	for {
		need := max(minHeight, float64(len(lines))*lineHeight)
		if room := roomLeft(pdf); need > room && room < minHeight {
			pdf.AddPage()
		}
		fit := int(roomLeft(pdf) / lineHeight)
		if need <= roomLeft(pdf) || fit >= len(lines) {
			drawBox(pdf, label, lines, need)
			return
		}
		drawBox(pdf, label, lines[:fit], float64(fit)*lineHeight)
		lines = lines[fit:]
		pdf.AddPage()
		label = "续" + label
	}
}

// roomLeft is the height left above the page break.
func roomLeft(pdf *fpdf.Fpdf) float64 {
	_, margin := pdf.GetAutoPageBreak()
	_, ph := pdf.GetPageSize()
	return ph - margin - pdf.GetY()
}

// drawBox draws one box of height h: the shaded label, the lines of text.
func drawBox(pdf *fpdf.Fpdf, label string, lines []string, h float64) {
	x, y := pdf.GetXY()
	pdf.SetFillColor(235, 235, 235)
	pdf.Rect(x, y, labelWidth, h, "FD")
	drawText(pdf, x, y, labelWidth, h, label, "C")
	pdf.Rect(x+labelWidth, y, bodyWidth-labelWidth, h, "D")
	for i, l := range lines {
		drawText(pdf, x+labelWidth, y+float64(i)*lineHeight, bodyWidth-labelWidth, lineHeight, l, "L")
	}
	pdf.SetXY(x, y+h)
}
