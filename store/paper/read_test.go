package paper

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rehabdesk/internal/pdfread"
)

// printedAt is the fixed printing date of every test document, so that the
// same document prints the same bytes.
var printedAt = time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC)

// goldenEnv set to "update" renews the golden images instead of comparing:
// PAPER_GOLDEN=update go test ./store/paper
const goldenEnv = "PAPER_GOLDEN"

// goldenDPI keeps goldens small (an A4 page is 413×585 pixels) while a
// dropped line of text still shows.
const goldenDPI = 50

// maxDiffShare is the share of a page's pixels that may differ from the
// golden: a dropped two-character word at 11 pt is more than this.
const maxDiffShare = 0.0003

// readBack reads a written PDF back with poppler: its text must contain
// each of wants (whitespace ignored, since pdftotext breaks lines where the
// layout does) and its first page must match testdata/<golden>.png
// (unless golden is "").
func readBack(t *testing.T, golden string, pdf []byte, wants ...string) string {
	t.Helper()
	pdfread.Need(t)
	text, err := pdfread.Text(pdf)
	if err != nil {
		t.Fatal(err)
	}
	flat := squeeze(text)
	for _, w := range wants {
		if !strings.Contains(flat, squeeze(w)) {
			t.Errorf("%s: text lacks %q; pdftotext gave:\n%s", golden, w, text)
		}
	}
	if golden != "" { // a variant checked by its text only, to keep goldens few
		matchGolden(t, golden, pdf)
	}
	return text
}

// squeeze drops every white space, so that a phrase matches across the
// line breaks pdftotext puts in.
func squeeze(s string) string {
	return strings.Join(strings.Fields(s), "")
}

// matchGolden renders the first page and compares it with the golden.
func matchGolden(t *testing.T, golden string, pdf []byte) {
	t.Helper()
	page, err := pdfread.FirstPage(pdf, goldenDPI)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", golden+".png")
	if os.Getenv(goldenEnv) == "update" {
		if err := pdfread.WritePNG(path, page); err != nil {
			t.Fatal(err)
		}
		t.Logf("renewed %s", path)
		return
	}
	want, err := pdfread.ReadPNG(path)
	if err != nil {
		t.Fatalf("golden %s: %v (renew with %s=update)", path, err, goldenEnv)
	}
	d, err := pdfread.Compare(page, want)
	if err == nil && d.Share <= maxDiffShare {
		return
	}
	got := filepath.Join(t.TempDir(), golden+".png")
	_ = pdfread.WritePNG(got, page)
	t.Errorf("%s: first page differs from the golden (%v; %d pixels, %.3f%%, in %v); rendered page kept at %s",
		golden, err, d.Pixels, 100*d.Share, d.Box, got)
}

// render runs a document writer into memory.
func render(t *testing.T, write func(w *bytes.Buffer) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
