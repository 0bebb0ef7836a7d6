package paper

import (
	"strings"
	"sync"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"

	"rehabdesk/assets"
)

// latinFamily is the Go font, registered for the characters the CJK font
// lacks: Droid Sans Fallback has no digits or Latin letters (Fyne falls
// back to its own Latin font for them on screen; a PDF must embed one).
const latinFamily = "golatin"

// missingMark stands for a character neither font has, such as a rare
// character outside the BMP in a name (fpdf cannot embed those at all):
// 〓 is the mark Chinese print uses for a character to write in by hand.
const missingMark = '〓'

// cjkFont and latinFont are the two fonts' character maps, parsed once.
var (
	cjkFont   = sync.OnceValue(func() *sfnt.Font { return parseFont(assets.FontRegular) })
	latinFont = sync.OnceValue(func() *sfnt.Font { return parseFont(goregular.TTF) })
)

func parseFont(b []byte) *sfnt.Font {
	f, err := sfnt.Parse(b)
	if err != nil {
		return nil // then no character is taken from this font
	}
	return f
}

// has reports whether font f has a glyph for r.
func has(f *sfnt.Font, r rune) bool {
	if f == nil || r > 0xFFFF {
		return false
	}
	var buf sfnt.Buffer
	i, err := f.GlyphIndex(&buf, r)
	return err == nil && i != 0
}

// fontFor picks the font a character is set in, and the character printed:
// itself, or missingMark when neither font has it.
func fontFor(r rune) (family string, printed rune) {
	switch {
	case r == ' ' || has(cjkFont(), r):
		return fontFamily, r
	case has(latinFont(), r):
		return latinFamily, r
	}
	return fontFamily, missingMark
}

// addFonts registers the CJK font and its Latin companion.
func addFonts(pdf *fpdf.Fpdf) {
	pdf.AddUTF8FontFromBytes(fontFamily, "", assets.FontRegular)
	pdf.AddUTF8FontFromBytes(latinFamily, "", goregular.TTF)
}

// span is a run of text set in one font.
type span struct{ family, text string }

// spans cuts s into runs of the CJK font and runs of the Latin font, with
// missingMark for the characters neither has.
func spans(s string) []span {
	var out []span
	var cur strings.Builder
	family := ""
	for _, r := range s {
		f, r := fontFor(r)
		if f != family && cur.Len() > 0 {
			out = append(out, span{family, cur.String()})
			cur.Reset()
		}
		family = f
		cur.WriteRune(r)
	}
	if cur.Len() > 0 {
		out = append(out, span{family, cur.String()})
	}
	return out
}

// setSize sets the font size for the next text, in the CJK font.
func setSize(pdf *fpdf.Fpdf, pt float64) { pdf.SetFont(fontFamily, "", pt) }

// textWidth is the printed width of s at the current size, in mm.
func textWidth(pdf *fpdf.Fpdf, s string) float64 {
	pt, _ := pdf.GetFontSize()
	w := 0.0
	for _, sp := range spans(s) {
		pdf.SetFont(sp.family, "", pt)
		w += pdf.GetStringWidth(sp.text)
	}
	pdf.SetFont(fontFamily, "", pt)
	return w
}

// cell is fpdf's CellFormat for mixed CJK and Latin text: the box (border,
// fill, cursor move by ln) is fpdf's, the text is drawn span by span.
// A width of 0 reaches the right margin.
func cell(pdf *fpdf.Fpdf, w, h float64, s, border string, ln int, align string, fill bool) {
	pageBreak(pdf, h)
	x, y := pdf.GetXY()
	if w == 0 {
		_, _, right, _ := pdf.GetMargins()
		pw, _ := pdf.GetPageSize()
		w = pw - right - x
	}
	pdf.CellFormat(w, h, "", border, ln, "", fill, 0, "")
	drawText(pdf, x, y, w, h, s, align)
}

// drawText draws s inside the box at x, y, w, h, aligned L, C or R.
func drawText(pdf *fpdf.Fpdf, x, y, w, h float64, s, align string) {
	if s == "" {
		return
	}
	pt, unit := pdf.GetFontSize()
	tw, margin := textWidth(pdf, s), pdf.GetCellMargin()
	switch align {
	case "C":
		x += (w - tw) / 2
	case "R":
		x += w - margin - tw
	default:
		x += margin
	}
	base := y + h/2 + 0.3*unit
	for _, sp := range spans(s) {
		pdf.SetFont(sp.family, "", pt)
		pdf.Text(x, base, sp.text)
		x += pdf.GetStringWidth(sp.text)
	}
	pdf.SetFont(fontFamily, "", pt)
}

// pageBreak starts a new page when a line of height h would not fit.
func pageBreak(pdf *fpdf.Fpdf, h float64) {
	auto, margin := pdf.GetAutoPageBreak()
	_, ph := pdf.GetPageSize()
	if auto && pdf.GetY()+h > ph-margin {
		x := pdf.GetX()
		pdf.AddPage()
		pdf.SetX(x)
	}
}

// multi writes s wrapped to width w (0: to the right margin), one cell of
// height h per line; "\n" starts a new line.
func multi(pdf *fpdf.Fpdf, w, h float64, s string) {
	if w == 0 {
		_, _, right, _ := pdf.GetMargins()
		pw, _ := pdf.GetPageSize()
		w = pw - right - pdf.GetX()
	}
	x := pdf.GetX()
	for _, l := range wrap(pdf, s, w-2*pdf.GetCellMargin()) {
		pdf.SetX(x)
		cell(pdf, w, h, l, "", 2, "L", false)
	}
}

// noLineStart are the punctuation marks a Chinese line never starts with
// (避头): they stay at the end of the line before, a little past the edge.
const noLineStart = "，。、；：？！）》」』”’…,.;:?!)"

// wrap cuts s into lines no wider than w, breaking between any two
// characters (Chinese has no word spaces) and at "\n".
func wrap(pdf *fpdf.Fpdf, s string, w float64) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		var cur []rune
		used := 0.0
		for _, r := range para {
			rw := textWidth(pdf, string(r))
			if len(cur) > 0 && used+rw > w && !strings.ContainsRune(noLineStart, r) {
				lines = append(lines, string(cur))
				cur, used = cur[:0], 0
			}
			cur, used = append(cur, r), used+rw
		}
		lines = append(lines, string(cur))
	}
	return lines
}
